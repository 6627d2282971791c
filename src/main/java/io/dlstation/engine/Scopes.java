package io.dlstation.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * DJL attaches an op's result to its first input's manager. Running a step on views of the inputs
 * that belong to the step's manager makes every intermediate of the step close with it.
 */
public final class Scopes {
    private Scopes() {}

    /** Views (no copy) of {@code inputs}, owned by {@code scope}; null entries stay null. */
    public static NDList views(NDList inputs, NDManager scope) {
        NDList out = new NDList(inputs.size());
        for (NDArray x : inputs) {
            if (x == null) {
                out.add(null);
            } else {
                NDArray view = x.reshape(x.getShape());
                view.attach(scope);
                out.add(view);
            }
        }
        return out;
    }
}
