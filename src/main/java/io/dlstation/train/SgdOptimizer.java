package io.dlstation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.Map;

/**
 * SGD with momentum through DJL's fused PyTorch update, which folds the learning rate into the
 * momentum buffer ({@code buf = m * buf + lr * g}; {@code w -= buf}): the same trajectory as PyTorch's
 * {@code buf = m * buf + g}; {@code w -= lr * buf} for a constant learning rate.
 */
final class SgdOptimizer implements FlatOptimizer {
    private final float learningRate;
    private final float momentum;
    private final float weightDecay;
    private final Map<String, NDArray> buffers = new HashMap<>();

    SgdOptimizer(float learningRate, float momentum, float weightDecay) {
        if (!(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException("bad SGD settings: lr " + learningRate + ", momentum " + momentum
                    + ", weight decay " + weightDecay);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void update(String group, NDArray values, NDArray gradient, float rescale) {
        if (values.size() == 0) {
            return;
        }
        NDArray buffer = momentum == 0 ? null : buffers.computeIfAbsent(group, g -> {
            NDArray b = values.zerosLike();
            b.attach(values.getManager());
            return b;
        });
        JniUtils.sgdUpdate((PtNDArray) values, (PtNDArray) gradient, (PtNDArray) buffer, learningRate, weightDecay,
                rescale, -1f, momentum);
    }
}
