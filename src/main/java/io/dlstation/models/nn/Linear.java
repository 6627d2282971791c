package io.dlstation.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code nn.Linear}: {@code weight} (out, in) and {@code bias} (out); works on any leading dimensions. */
public final class Linear extends TorchModule {
    private final Parameter weight;
    private final Parameter bias;

    /** With PyTorch's default initialisation. */
    public Linear(int in, int out) {
        this(in, out, ParameterInit.uniformFanIn(in), ParameterInit.uniformFanIn(in));
    }

    public Linear(int in, int out, ParameterInit weightInit, ParameterInit biasInit) {
        this.weight = declare("weight", new Shape(out, in), ParameterRole.WEIGHT, weightInit);
        this.bias = declare("bias", new Shape(out), ParameterRole.WEIGHT, biasInit);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return ai.djl.nn.core.Linear.linear(x, weight.getArray(),
                bias.getArray());
    }
}
