package io.dlstation.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * What the training loop drives: optimiser steps made of micro-batches, on one device ({@link
 * TrainingStep}) or on several at once ({@link DataParallelStep}).
 */
public interface StepRunner {

    /**
     * Forward and backward of one micro-batch; with {@code micro} micro-batches per update each loss is
     * divided by {@code micro}. The arrays of the step live in the inputs' manager.
     *
     * @return the micro-batch's mean loss (not divided), on the device
     */
    NDArray accumulate(NDList inputs, NDArray labels, int micro);

    /** Applies the gradients gathered since the last update (or skips the step) and releases them. */
    TrainingStep.Update update(NDManager step);

    /** The learning rate of the next update, on every replica. */
    void setLearningRate(float learningRate);

    /** The optimiser whose name, learning rate and state go into checkpoints. */
    FlatOptimizer optimizer();

    /** The loss scaler under mixed precision, else null. */
    LossScaler scaler();

    /** Steps skipped because their gradients held inf or NaN. */
    long skippedSteps();
}
