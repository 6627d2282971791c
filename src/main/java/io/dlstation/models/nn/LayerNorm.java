package io.dlstation.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code nn.LayerNorm} over the last dimension: {@code weight} and {@code bias}. */
public final class LayerNorm extends TorchModule {
    private final Parameter weight;
    private final Parameter bias;
    private final Shape normalized;
    private final float eps;

    public LayerNorm(int size, float eps) {
        this.normalized = new Shape(size);
        this.weight = declare("weight", normalized, ParameterRole.WEIGHT, ParameterInit.ones());
        this.bias = declare("bias", normalized, ParameterRole.WEIGHT, ParameterInit.zeros());
        this.eps = eps;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, weight.getArray(),
                bias.getArray(), eps);
    }
}
