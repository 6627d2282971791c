package io.dlstation.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.dlstation.engine.Precision;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads PyTorch-saved weights into a Java model, runs the saved inputs in eval mode and returns the
 * largest absolute difference from PyTorch's saved outputs. The files come from
 * src/test/resources/parity/make_parity.py.
 */
final class Parity {
    private Parity() {}

    static float resnet(Path dir, String name, ResNet model, Device device) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            load(dir, name, model, manager, false);
            Map<String, NDArray> io = Safetensors.read(dir.resolve(name + ".io.safetensors"), manager);
            NDArray y = model.call(new NDList(io.get("input").toDevice(device, false)), false).head();
            return maxAbsDiff(y, io.get("output"));
        }
    }

    /** The largest absolute value of PyTorch's saved output: the scale differences are judged against. */
    static float resnetOutputScale(Path dir, String name) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            return Safetensors.read(dir.resolve(name + ".io.safetensors"), manager).get("output").abs().max().getFloat();
        }
    }

    /** [max diff of last_hidden_state, max diff of pooler_output]. */
    static float[] bert(Path dir, String name, Bert model, Device device) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            load(dir, name, model, manager, true);
            Map<String, NDArray> io = Safetensors.read(dir.resolve(name + ".io.safetensors"), manager);
            NDList out = model.call(new NDList(io.get("input_ids").toDevice(device, false),
                    io.get("token_type_ids").toDevice(device, false), io.get("attention_mask").toDevice(device, false)),
                    false);
            return new float[] {maxAbsDiff(out.get(0), io.get("last_hidden_state")),
                maxAbsDiff(out.get(1), io.get("pooler_output"))};
        }
    }

    private static void load(Path dir, String name, TorchModule model, NDManager manager, boolean huggingFace) {
        ModelParameters params = ModelParameters.allocate(model, manager, Precision.FP32);
        Map<String, NDArray> state = Safetensors.read(dir.resolve(name + ".weights.safetensors"), manager);
        StateDicts.load(params, huggingFace ? Bert.fromHuggingFace(state, "") : state, name);
    }

    private static float maxAbsDiff(NDArray actual, NDArray expected) {
        return actual.toDevice(Device.cpu(), false).sub(expected.toDevice(Device.cpu(), false)).abs().max().getFloat();
    }
}
