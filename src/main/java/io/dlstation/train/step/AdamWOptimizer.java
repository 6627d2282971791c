package io.dlstation.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** AdamW (decoupled weight decay) through DJL's fused PyTorch update, with bias correction. */
final class AdamWOptimizer extends LearningRateHolder {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final Map<String, NDArray[]> moments = new HashMap<>();
    private final Map<String, Long> steps = new HashMap<>();

    AdamWOptimizer(float learningRate, float beta1, float beta2, float eps, float weightDecay) {
        super(learningRate);
        if (!(learningRate > 0) || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(eps > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("bad AdamW settings: lr " + learningRate + ", betas " + beta1 + "/"
                    + beta2 + ", eps " + eps + ", weight decay " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void update(String group, NDArray values, NDArray gradient, float rescale) {
        if (values.size() == 0) {
            return;
        }
        NDArray[] m = moments.computeIfAbsent(group, g -> new NDArray[] {zerosLike(values), zerosLike(values)});
        long t = steps.merge(group, 1L, Long::sum);
        float correction = (float) (Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        JniUtils.adamUpdate((PtNDArray) values, (PtNDArray) gradient, (PtNDArray) m[0], (PtNDArray) m[1], learningRate(),
                learningRate() * correction, weightDecay, rescale, -1f, beta1, beta2, eps, true);
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public State state() {
        Map<String, NDArray> tensors = new TreeMap<>();
        moments.forEach((group, m) -> {
            tensors.put(group + ".exp_avg", m[0]);
            tensors.put(group + ".exp_avg_sq", m[1]);
        });
        Map<String, Long> counters = new TreeMap<>();
        steps.forEach((group, t) -> counters.put(group + ".step", t));
        return new State(tensors, counters);
    }

    @Override
    public void restore(State state, NDArray owner) {
        moments.values().forEach(m -> {
            m[0].close();
            m[1].close();
        });
        moments.clear();
        steps.clear();
        state.counters().forEach((name, t) -> {
            String group = name.substring(0, name.length() - ".step".length());
            NDArray mean = state.tensors().get(group + ".exp_avg");
            NDArray variance = state.tensors().get(group + ".exp_avg_sq");
            if (!name.endsWith(".step") || mean == null || variance == null) {
                throw new IllegalArgumentException("incomplete AdamW state for " + group + ": " + state.tensors().keySet());
            }
            moments.put(group, new NDArray[] {ownedCopy(mean, owner), ownedCopy(variance, owner)});
            steps.put(group, t);
        });
    }
}
