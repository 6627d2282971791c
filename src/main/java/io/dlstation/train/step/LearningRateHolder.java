package io.dlstation.train.step;

import ai.djl.ndarray.NDArray;

/** What every flat optimiser shares: the current learning rate and copying restored state into place. */
abstract class LearningRateHolder implements FlatOptimizer {
    private float learningRate;

    LearningRateHolder(float learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public final float learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(float learningRate) {
        if (!(learningRate >= 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0: " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** A copy of a saved state tensor on {@code owner}'s device, owned by its manager. */
    static NDArray ownedCopy(NDArray value, NDArray owner) {
        NDArray copy = value.toDevice(owner.getDevice(), false).duplicate();
        copy.attach(owner.getManager());
        return copy;
    }

    /** A zero buffer shaped like {@code like}, owned by its manager. */
    static NDArray zerosLike(NDArray like) {
        NDArray zeros = like.zerosLike();
        zeros.attach(like.getManager());
        return zeros;
    }
}
