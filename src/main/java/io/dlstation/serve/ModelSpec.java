package io.dlstation.serve;

import io.dlstation.error.DlstationException;
import io.dlstation.models.ModelFolder;
import io.dlstation.models.ServingOptions;
import io.dlstation.serve.protocol.InputSpec;
import io.dlstation.serve.protocol.TensorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * What the server knows of one model before loading it: its name and folder, its {@code model.yaml}, its
 * inputs as tensor specs and its serving options. Reading checks everything that can be checked without
 * the engine, so a bad folder fails with the field to fix.
 */
public record ModelSpec(String name, Path folder, ModelFolder.Description description, List<InputSpec> inputs) {

    /** The version every model is served under (the repository holds one version per model). */
    public static final String VERSION = "1";

    /** Reads and checks the folder of model {@code name}. */
    public static ModelSpec read(String name, Path folder) {
        ModelFolder.Description d = ModelFolder.read(folder);
        String at = folder.resolve(ModelFolder.DESCRIPTION_FILE) + ": ";
        List<InputSpec> inputs = new ArrayList<>();
        HashSet<String> names = new HashSet<>();
        for (int i = 0; i < d.inputs().size(); i++) {
            ModelFolder.Input in = d.inputs().get(i);
            String field = at + "inputs[" + i + "]";
            if (!names.add(in.name())) {
                throw DlstationException.badInput(field + ".name '" + in.name() + "' is used twice");
            }
            TensorType type = TensorType.parse(in.datatype(), field + ".datatype");
            long[] shape = in.shape().stream().mapToLong(Long::longValue).toArray();
            for (long dim : shape) {
                if (dim < 1) {
                    throw DlstationException.badInput(field + ".shape " + in.shape() + ": every dimension must be 1 or "
                            + "more (one sample's fixed shape, without the batch dimension)");
                }
            }
            checkChannels(in.mean(), shape, field + ".mean");
            checkChannels(in.std(), shape, field + ".std");
            if (in.std() != null) {
                for (float v : in.std()) {
                    if (!(v > 0) || Float.isInfinite(v)) {
                        throw DlstationException.badInput(field + ".std has " + v + "; every value must be a positive "
                                + "number (the spread of that channel's values in [0, 1])");
                    }
                }
            }
            inputs.add(new InputSpec(in.name(), type, shape, in.mean(), in.std()));
        }
        if (d.isTorchScript() && !Files.isRegularFile(folder.resolve(d.file()))) {
            throw DlstationException.badInput(at + "file " + d.file() + " is not in " + folder
                    + " (a TorchScript file saved with torch.jit.save)");
        }
        if (!d.isTorchScript() && !Files.isRegularFile(folder.resolve(ModelFolder.WEIGHTS_FILE))) {
            throw DlstationException.badInput(folder + " has no " + ModelFolder.WEIGHTS_FILE);
        }
        if (d.outputs() != null) {
            for (int i = 0; i < d.outputs().size(); i++) {
                ModelFolder.Output out = d.outputs().get(i);
                if (out == null || out.name() == null || out.name().isBlank()) {
                    throw DlstationException.badInput(at + "outputs[" + i + "].name is missing");
                }
                if (out.datatype() != null) {
                    TensorType.parse(out.datatype(), at + "outputs[" + i + "].datatype");
                }
            }
        }
        return new ModelSpec(name, folder, d, List.copyOf(inputs));
    }

    /** The serving options ({@code serving:} of model.yaml, or the defaults). */
    public ServingOptions serving() {
        return description.servingOptions();
    }

    /** Whether the first output passes through softmax. */
    public boolean softmax() {
        return "softmax".equals(description.postprocess());
    }

    /** The class names, possibly empty. */
    public List<String> labels() {
        return description.labels();
    }

    /** The name of output {@code index}: from model.yaml, else {@code output}, {@code output_1}, ... */
    public String outputName(int index) {
        List<ModelFolder.Output> outputs = description.outputs();
        if (outputs != null && index < outputs.size()) {
            return outputs.get(index).name();
        }
        return index == 0 ? "output" : "output_" + index;
    }

    private static void checkChannels(float[] values, long[] shape, String field) {
        if (values != null && (shape.length != 3 || values.length != shape[0])) {
            throw DlstationException.badInput(field + " has " + values.length + " values; it needs one per channel of "
                    + "a (C, H, W) input");
        }
    }
}
