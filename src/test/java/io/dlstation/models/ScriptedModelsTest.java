package io.dlstation.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.dlstation.engine.Precision;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import io.dlstation.models.nn.TorchParameter;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The models' TorchScript pieces against the same computation op by op through DJL: equal outputs and
 * equal gradients in training mode, and a forward pass that leaves Java holding only the pieces'
 * outputs instead of every intermediate.
 */
class ScriptedModelsTest {
    private static final float TOLERANCE = 2e-4f;

    @BeforeAll
    static void seed() {
        Engine.getEngine("PyTorch").setRandomSeed(7);
    }

    @Test
    void aScriptedResNetTrainsLikeTheSameOpsOneByOne() {
        ResNet model = new ResNet(true, new int[] {1, 1, 1, 1}, 5, 8, false, false);
        compareGradients(model, m -> m.randomNormal(new Shape(3, 3, 32, 32)), ScriptedModelsTest::eagerResNet);
    }

    @Test
    void aScriptedBasicBlockResNetTrainsLikeTheSameOpsOneByOne() {
        ResNet model = new ResNet(false, new int[] {1, 1, 1, 1}, 5, 8, false, false);
        compareGradients(model, m -> m.randomNormal(new Shape(2, 3, 32, 32)), ScriptedModelsTest::eagerResNet);
    }

    @Test
    void aScriptedBertLayerTrainsLikeThePlainOps() {
        // no dropout, so that both paths compute the same function
        BertConfig config = new BertConfig(50, 32, 2, 4, 64, 32, 2, 1e-12f, 0f);
        Bert scripted = new Bert(config);
        Bert plain = new Bert(config).useFusedAttention(false);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ModelParameters a = ModelParameters.allocate(scripted, manager, Precision.FP32);
            ModelParameters b = ModelParameters.allocate(plain, manager, Precision.FP32);
            b.copyFrom(a);
            long[] ids = new long[24];
            long[] mask = new long[24];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 1 + (i * 7) % 49;
                mask[i] = i < 20 ? 1 : 0;
            }
            Map<String, float[]> expected = gradients(plain, b, m -> plain.call(inputs(m, ids, mask), true).get(0));
            Map<String, float[]> actual = gradients(scripted, a, m -> scripted.call(inputs(m, ids, mask), true).get(0));
            assertClose(actual, expected);
        }
    }

    private static NDList inputs(NDManager m, long[] ids, long[] mask) {
        return new NDList(m.create(ids, new Shape(2, 12)), null, m.create(mask, new Shape(2, 12)));
    }

    @Test
    void aForwardPassLeavesOnlyEachBlocksOutputInJava() {
        ResNet model = new ResNet(true, new int[] {3, 4, 6, 3}, 10, 8, false, false);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ModelParameters.allocate(model, manager, Precision.FP32);
            NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
            try (NDManager step = manager.newSubManager()) {
                NDArray input = x.duplicate();
                input.attach(step);
                model.call(new NDList(input), true);
                // the input, the stem's output, 16 blocks' outputs, pooling, reshape and the logits; op by op
                // it was about ten arrays per block
                assertThat(step.getManagedArrays()).hasSizeLessThanOrEqualTo(1 + 1 + 16 + 4);
            }
        }
    }

    private static void compareGradients(TorchModule model, Function<NDManager, NDArray> input,
            EagerForward eager) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ModelParameters parameters = ModelParameters.allocate(model, manager, Precision.FP32);
            NDArray x = input.apply(manager);
            NDList snapshot = parameters.snapshot(manager);
            Map<String, float[]> expected = gradients(model, parameters, m -> eager.forward(model, x));
            parameters.restore(snapshot);
            Map<String, float[]> actual = gradients(model, parameters, m -> model.call(new NDList(x), true).head());
            assertClose(actual, expected);
            // the running statistics moved the same way as well
            Map<String, NDArray> scriptedState = parameters.stateDict(manager);
            parameters.restore(snapshot);
            try (NDManager scope = manager.newSubManager()) {
                eager.forward(model, x);
            }
            Map<String, NDArray> eagerState = parameters.stateDict(manager);
            for (String name : eagerState.keySet()) {
                if (name.contains("running")) {
                    assertThat(scriptedState.get(name).sub(eagerState.get(name)).abs().max().getFloat())
                            .as(name).isLessThan(TOLERANCE);
                }
            }
        }
    }

    /** Every trainable parameter's gradient after backward of sum(output * weights) in training mode. */
    private static Map<String, float[]> gradients(TorchModule model, ModelParameters parameters,
            Function<NDManager, NDArray> forward) {
        Map<String, float[]> grads = new java.util.TreeMap<>();
        try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            JniUtils.setGradMode(true);
            try {
                NDArray out = forward.apply(scope);
                NDArray weights = out.getManager().arange((float) out.size()).reshape(out.getShape()).mul(0.01f).sin();
                NDArray loss = out.mul(weights).sum();
                JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
            } finally {
                JniUtils.setGradMode(false);
            }
            for (TorchParameter p : parameters.trainable()) {
                grads.put(p.name(), p.parameter().getArray().getGradient().toFloatArray());
            }
            parameters.releaseGradients();
        }
        return grads;
    }

    private static void assertClose(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
            float[] a = actual.get(name);
            float[] e = expected.get(name);
            float scale = 1e-3f;
            for (float v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < e.length; i++) {
                assertThat(Math.abs(a[i] - e[i]) / scale).as("%s[%d]", name, i).isLessThan(TOLERANCE);
            }
        }
    }

    @FunctionalInterface
    private interface EagerForward {
        NDArray forward(TorchModule model, NDArray x);
    }

    /** torchvision's ResNet forward, op by op through DJL, on the model's own parameters. */
    private static NDArray eagerResNet(TorchModule model, NDArray x) {
        Map<String, TorchParameter> p = model.namedParameters();
        NDArray y = Activation.relu(convBn(p, "conv1", "bn1", x, 2, 3));
        y = Pool.maxPool2d(y, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
        for (int stage = 1; stage <= 4; stage++) {
            for (int block = 0; p.containsKey("layer" + stage + "." + block + ".conv1.weight"); block++) {
                String b = "layer" + stage + "." + block + ".";
                boolean bottleneck = p.containsKey(b + "conv3.weight");
                int stride = stage > 1 && block == 0 ? 2 : 1;
                NDArray out;
                if (bottleneck) {
                    out = Activation.relu(convBn(p, b + "conv1", b + "bn1", y, 1, 0));
                    out = Activation.relu(convBn(p, b + "conv2", b + "bn2", out, stride, 1));
                    out = convBn(p, b + "conv3", b + "bn3", out, 1, 0);
                } else {
                    out = Activation.relu(convBn(p, b + "conv1", b + "bn1", y, stride, 1));
                    out = convBn(p, b + "conv2", b + "bn2", out, 1, 1);
                }
                NDArray identity = p.containsKey(b + "downsample.0.weight")
                        ? convBn(p, b + "downsample.0", b + "downsample.1", y, stride, 0) : y;
                y = Activation.relu(out.add(identity));
            }
        }
        y = Pool.globalAvgPool2d(y).reshape(y.getShape().get(0), -1);
        return y.matMul(array(p, "fc.weight").transpose()).add(array(p, "fc.bias"));
    }

    private static NDArray convBn(Map<String, TorchParameter> p, String conv, String bn, NDArray x, int stride,
            int padding) {
        NDArray y = Conv2d.conv2d(x, array(p, conv + ".weight"), null, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1).head();
        return BatchNorm.batchNorm(y, array(p, bn + ".running_mean"), array(p, bn + ".running_var"),
                array(p, bn + ".weight"), array(p, bn + ".bias"), 1, 0.9f, 1e-5f, true).head();
    }

    private static NDArray array(Map<String, TorchParameter> p, String name) {
        return p.get(name).parameter().getArray();
    }
}
