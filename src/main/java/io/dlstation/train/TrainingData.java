package io.dlstation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Where a run's batches come from: per epoch, an ordered stream of micro-batches already on the
 * device, and the validation set. Implementations decide how inputs are made (images from a loader,
 * random tensors) but all of them are deterministic given the seed, the epoch and the position, so a
 * resumed run sees the batches an uninterrupted one would have.
 */
public interface TrainingData extends AutoCloseable {

    /** One batch on the device: the model's inputs and the int64 labels, and how many samples. */
    record Batch(NDList inputs, NDArray labels, int count) {}

    /** An epoch's batches in order. */
    interface Epoch extends AutoCloseable {
        boolean hasNext();

        /** The next batch, its arrays owned by {@code into}. */
        Batch next(NDManager into);

        /** Nanoseconds {@link #next} spent waiting for the loader so far. */
        long waitNanos();

        @Override
        void close();
    }

    /** The class names, in label order. */
    List<String> labels();

    /** The shape of one sample's input, without the batch dimension (e.g. 3, 64, 64). */
    long[] sampleShape();

    /** Micro-batches in one training epoch at {@code batchSize} (the last partial batch is dropped). */
    long batchesPerEpoch(int batchSize);

    /** Training samples in one epoch. */
    long trainSize();

    /** The training batches of {@code epoch}, starting after {@code skipBatches} already consumed. */
    Epoch train(int epoch, long skipBatches, int batchSize);

    /** The validation batches, or null when this data has none. */
    Epoch validation(int batchSize);

    /** A batch of the training shape with arbitrary content, for memory trials. */
    Batch trialBatch(NDManager into, int batchSize);

    /** A line for the log: what the data is. */
    String describe();

    @Override
    void close();
}
