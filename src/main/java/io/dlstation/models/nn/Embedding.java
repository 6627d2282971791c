package io.dlstation.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code nn.Embedding}: {@code weight} (count, dim); the input holds int64 indices. */
public final class Embedding extends TorchModule {
    private final Parameter weight;

    public Embedding(int count, int dim, ParameterInit init) {
        this.weight = declare("weight", new Shape(count, dim), ParameterRole.WEIGHT, init);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        NDArray w = weight.getArray();
        return ids.getNDArrayInternal().embedding(ids, w, SparseFormat.DENSE);
    }
}
