package io.dlstation.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.BatchNorm2d} with PyTorch's conventions: eps 1e-5 and momentum 0.1 by default (the new
 * statistic's weight); {@code weight}, {@code bias}, {@code running_mean}, {@code running_var}.
 * Under mixed precision its parameters and statistics stay float32 while activations are float16.
 */
public final class BatchNorm2d extends TorchModule {
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private final float eps;
    private final float momentum;

    public BatchNorm2d(int channels) {
        this(channels, 1e-5f, 0.1f, false);
    }

    /**
     * @param momentum PyTorch's momentum (weight of the new batch statistic)
     * @param zeroWeight start the scale at zero (torchvision's zero_init_residual for the last BN of a block)
     */
    public BatchNorm2d(int channels, float eps, float momentum, boolean zeroWeight) {
        Shape shape = new Shape(channels);
        this.weight = declare("weight", shape, ParameterRole.NORM, zeroWeight ? ParameterInit.zeros() : ParameterInit.ones());
        this.bias = declare("bias", shape, ParameterRole.NORM, ParameterInit.zeros());
        this.runningMean = declare("running_mean", shape, ParameterRole.BUFFER, ParameterInit.zeros());
        this.runningVar = declare("running_var", shape, ParameterRole.BUFFER, ParameterInit.ones());
        this.eps = eps;
        this.momentum = momentum;
    }

    /** The epsilon added to the variance. */
    public float eps() {
        return eps;
    }

    /** PyTorch's momentum: the weight of a new batch statistic in the running ones. */
    public float momentum() {
        return momentum;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        var device = x.getDevice();
        // DJL's momentum is the weight of the old statistic: 1 - PyTorch's.
        return BatchNorm.batchNorm(x, runningMean.getArray(), runningVar.getArray(),
                weight.getArray(), bias.getArray(), 1, 1 - momentum, eps,
                training);
    }
}
