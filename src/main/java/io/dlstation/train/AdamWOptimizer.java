package io.dlstation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.Map;

/** AdamW (decoupled weight decay) through DJL's fused PyTorch update, with bias correction. */
final class AdamWOptimizer implements FlatOptimizer {
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final Map<String, NDArray[]> moments = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    AdamWOptimizer(float learningRate, float beta1, float beta2, float eps, float weightDecay) {
        if (!(learningRate > 0) || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(eps > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("bad AdamW settings");
        }
        this.learningRate = learningRate;
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
        NDArray[] m = moments.computeIfAbsent(group, g -> {
            NDArray mean = values.zerosLike();
            NDArray variance = values.zerosLike();
            mean.attach(values.getManager());
            variance.attach(values.getManager());
            return new NDArray[] {mean, variance};
        });
        int t = steps.merge(group, 1, Integer::sum);
        float correction = (float) (Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        JniUtils.adamUpdate((PtNDArray) values, (PtNDArray) gradient, (PtNDArray) m[0], (PtNDArray) m[1], learningRate,
                learningRate * correction, weightDecay, rescale, -1f, beta1, beta2, eps, true);
    }
}
