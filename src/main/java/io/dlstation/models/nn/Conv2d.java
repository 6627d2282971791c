package io.dlstation.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code nn.Conv2d} with square kernels: parameters {@code weight} (out, in, k, k) and optional {@code bias}. */
public final class Conv2d extends TorchModule {
    private final Parameter weight;
    private final Parameter bias;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation = new Shape(1, 1);

    /**
     * @param init the weight initialisation (torchvision ResNets use kaiming-normal fan-out)
     */
    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias, ParameterInit init) {
        Shape shape = new Shape(out, in, kernel, kernel);
        this.weight = declare("weight", shape, ParameterRole.WEIGHT, init);
        this.bias = bias ? declare("bias", new Shape(out), ParameterRole.WEIGHT,
                ParameterInit.uniformFanIn(ParameterInit.fanIn(shape))) : null;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = weight.getArray();
        NDArray b = bias == null ? null : bias.getArray();
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, stride, padding, dilation, 1);
    }
}
