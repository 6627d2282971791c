package io.dlstation.train.step;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * An optimiser that updates a whole flat float32 parameter buffer in one call, given its flat
 * gradient. Its state (momentum, moments) is flat too and is created on first use.
 */
public interface FlatOptimizer {

    /**
     * One update of {@code values} in place.
     *
     * @param group which buffer this is (e.g. "weights", "norms"); state is kept per group
     * @param rescale multiplies the gradient first (1 / loss scale under mixed precision, and the
     *     clipping coefficient)
     */
    void update(String group, NDArray values, NDArray gradient, float rescale);

    /** The learning rate of the next update. */
    float learningRate();

    /** Changes the learning rate from the next update on (schedules, warm-up). */
    void setLearningRate(float learningRate);

    /** The optimiser's name as users type it ("sgd", "adamw"). */
    String name();

    /**
     * The whole state, for checkpoints: tensors by name (e.g. "weights.momentum") and counters by
     * name (e.g. "weights.step"). The tensors are the live buffers: copy or save them before the next
     * update.
     */
    State state();

    /**
     * Restores a state saved from an optimiser of the same kind over the same buffers; the tensors are
     * copied into buffers owned by {@code owner}'s manager.
     */
    void restore(State state, NDArray owner);

    /** An optimiser's state. */
    record State(Map<String, NDArray> tensors, Map<String, Long> counters) {
        public State {
            tensors = Map.copyOf(tensors);
            counters = Map.copyOf(counters);
        }
    }

    /** Stochastic gradient descent with momentum (see {@link SgdOptimizer} for the formulation). */
    static FlatOptimizer sgd(float learningRate, float momentum, float weightDecay) {
        return new SgdOptimizer(learningRate, momentum, weightDecay);
    }

    /** AdamW with decoupled weight decay and bias correction. */
    static FlatOptimizer adamw(float learningRate, float beta1, float beta2, float eps, float weightDecay) {
        return new AdamWOptimizer(learningRate, beta1, beta2, eps, weightDecay);
    }
}
