package io.dlstation.train;

import ai.djl.ndarray.NDArray;

/**
 * An optimiser that updates a whole flat float32 parameter buffer in one call, given its flat
 * gradient. Its state (momentum, moments) is flat too and is created on first use.
 */
public interface FlatOptimizer {

    /**
     * One update of {@code values} in place.
     *
     * @param group which buffer this is (e.g. "weights", "norms"); state is kept per group
     * @param rescale multiplies the gradient first (1 / loss scale under mixed precision)
     */
    void update(String group, NDArray values, NDArray gradient, float rescale);

    /** Stochastic gradient descent with momentum (PyTorch's update for a constant learning rate). */
    static FlatOptimizer sgd(float learningRate, float momentum, float weightDecay) {
        return new SgdOptimizer(learningRate, momentum, weightDecay);
    }

    /** AdamW with decoupled weight decay and bias correction. */
    static FlatOptimizer adamw(float learningRate, float beta1, float beta2, float eps, float weightDecay) {
        return new AdamWOptimizer(learningRate, beta1, beta2, eps, weightDecay);
    }
}
