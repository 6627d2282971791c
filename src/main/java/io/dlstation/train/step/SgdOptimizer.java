package io.dlstation.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * SGD with momentum through DJL's fused PyTorch update, which folds the learning rate into the
 * momentum buffer ({@code buf = m * buf + lr * g}; {@code w -= buf}): the same trajectory as PyTorch's
 * {@code buf = m * buf + g}; {@code w -= lr * buf} while the learning rate is constant, and the
 * classic (Sutskever) form when a schedule changes it.
 */
final class SgdOptimizer extends LearningRateHolder {
    private final float momentum;
    private final float weightDecay;
    private final Map<String, NDArray> buffers = new HashMap<>();

    SgdOptimizer(float learningRate, float momentum, float weightDecay) {
        super(learningRate);
        if (!(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException("bad SGD settings: lr " + learningRate + ", momentum " + momentum
                    + ", weight decay " + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void update(String group, NDArray values, NDArray gradient, float rescale) {
        if (values.size() == 0) {
            return;
        }
        NDArray buffer = momentum == 0 ? null : buffers.computeIfAbsent(group, g -> zerosLike(values));
        JniUtils.sgdUpdate((PtNDArray) values, (PtNDArray) gradient, (PtNDArray) buffer, learningRate(), weightDecay,
                rescale, -1f, momentum);
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public State state() {
        Map<String, NDArray> tensors = new TreeMap<>();
        buffers.forEach((group, buffer) -> tensors.put(group + ".momentum", buffer));
        return new State(tensors, Map.of());
    }

    @Override
    public void restore(State state, NDArray owner) {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        state.tensors().forEach((name, value) -> {
            if (!name.endsWith(".momentum")) {
                throw new IllegalArgumentException("not an SGD state tensor: " + name);
            }
            buffers.put(name.substring(0, name.length() - ".momentum".length()), ownedCopy(value, owner));
        });
    }
}
