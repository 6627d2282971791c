package io.dlstation.serve;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.dlstation.engine.EngineBootstrap;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.models.ModelFolder;
import io.dlstation.models.nn.TorchModule;
import java.io.IOException;
import java.util.Map;

/**
 * A model loaded on one device: the DJL {@link Model} that owns its native memory, and how to run a
 * forward pass. Shared by the workers of that device (a TorchScript module and dlstation's modules are
 * safe to call from several threads); closed once, after they stop.
 */
abstract sealed class LoadedModel implements AutoCloseable {
    final Model model;
    final Device device;

    private LoadedModel(Model model, Device device) {
        this.model = model;
        this.device = device;
    }

    /** Loads the model of {@code spec} onto {@code device}. */
    static LoadedModel load(ModelSpec spec, Device device) {
        Model model = Model.newInstance(spec.name(), device, EngineBootstrap.ENGINE_NAME);
        try {
            return spec.description().isTorchScript() ? TorchScript.load(spec, model, device)
                    : Dlstation.load(spec, model, device);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The manager batches make their sub-managers from (on the model's device). */
    NDManager manager() {
        return model.getNDManager();
    }

    /** The floating-point type the model computes in (its inputs are cast to it). */
    abstract DataType computeType();

    /** Runs the model on a batch; the outputs live in the inputs' manager. */
    abstract NDList forward(NDList inputs);

    /** Frees the model's native memory. */
    @Override
    public void close() {
        model.close();
    }

    /** A TorchScript file, run as it is; its weights' type must be the serving precision. */
    static final class TorchScript extends LoadedModel {
        private final Block block;
        private final ParameterStore store;
        private final DataType computeType;

        private TorchScript(Model model, Device device, DataType computeType) {
            super(model, device);
            this.block = model.getBlock();
            this.store = new ParameterStore(model.getNDManager(), false);
            this.computeType = computeType;
        }

        static TorchScript load(ModelSpec spec, Model model, Device device) {
            try {
                // mapLocation: a module traced on cuda:0 keeps that device in its file; without it every
                // copy of the model would land on the first GPU whatever device it was loaded for
                model.load(spec.folder(), spec.description().file(), Map.of("mapLocation", "true"));
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new DlstationException(ErrorCode.BAD_INPUT, "model '" + spec.name() + "': "
                        + spec.folder().resolve(spec.description().file()) + " does not load as TorchScript: "
                        + io.dlstation.serve.wlm.Failures.summary(e.getMessage()), e);
            }
            DataType wanted = spec.serving().precision() == Precision.FP16 ? DataType.FLOAT16 : DataType.FLOAT32;
            DataType weights = weightType(model.getBlock());
            if (weights != null && weights != wanted) {
                throw DlstationException.badInput("model '" + spec.name() + "': the TorchScript weights are " + weights
                        + " but serving.precision is " + spec.serving().precision() + "; set serving.precision: "
                        + (weights == DataType.FLOAT16 ? "fp16" : "fp32") + ", or export the model with "
                        + (wanted == DataType.FLOAT16 ? "model.half()" : "model.float()") + " before torch.jit.trace");
            }
            return new TorchScript(model, device, wanted);
        }

        private static DataType weightType(Block block) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = p.getValue().getArray();
                if (array != null && array.getDataType().isFloating()) {
                    return array.getDataType();
                }
            }
            return null;
        }

        @Override
        DataType computeType() {
            return computeType;
        }

        @Override
        NDList forward(NDList inputs) {
            return block.forward(store, inputs, false);
        }
    }

    /** A model {@code dlstation train} exported: its architecture built here and its weights loaded. */
    static final class Dlstation extends LoadedModel {
        private final TorchModule module;
        private final DataType computeType;

        private Dlstation(Model model, Device device, TorchModule module, DataType computeType) {
            super(model, device);
            this.module = module;
            this.computeType = computeType;
        }

        static Dlstation load(ModelSpec spec, Model model, Device device) {
            Precision precision = spec.serving().precision();
            ModelFolder.Loaded loaded = ModelFolder.load(spec.folder(), model.getNDManager(), precision, device.isGpu());
            model.setBlock(loaded.model());
            return new Dlstation(model, device, loaded.model(),
                    precision == Precision.FP16 ? DataType.FLOAT16 : DataType.FLOAT32);
        }

        @Override
        DataType computeType() {
            return computeType;
        }

        @Override
        NDList forward(NDList inputs) {
            return module.call(inputs, false);
        }
    }
}
