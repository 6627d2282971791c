package io.dlstation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.dlstation.data.BatchLoader;
import io.dlstation.data.DatasetSplit;
import io.dlstation.data.HostBatch;
import io.dlstation.data.ImageDataset;
import java.util.List;
import java.util.Locale;

/** Images from a dataset through the multi-threaded {@link BatchLoader}, normalised on the device. */
final class ImageData implements TrainingData {
    private final DatasetSplit split;
    private final ImageTensors tensors;
    private final long seed;
    private final int workers;
    private final String description;

    ImageData(DatasetSplit split, ImageTensors tensors, long seed, int workers, String description) {
        this.split = split;
        this.tensors = tensors;
        this.seed = seed;
        this.workers = workers;
        this.description = description;
    }

    @Override
    public List<String> labels() {
        return split.train().classes();
    }

    @Override
    public long[] sampleShape() {
        return new long[] {3, split.train().height(), split.train().width()};
    }

    @Override
    public long batchesPerEpoch(int batchSize) {
        return BatchLoader.batchesPerEpoch(split.train().size(), batchSize, true);
    }

    @Override
    public long trainSize() {
        return split.train().size();
    }

    @Override
    public Epoch train(int epoch, long skipBatches, int batchSize) {
        return new LoaderEpoch(new BatchLoader(split.train(), batchSize, true, true, seed, epoch,
                Math.toIntExact(skipBatches), workers, prefetch(), true));
    }

    @Override
    public Epoch validation(int batchSize) {
        ImageDataset validation = split.validation();
        if (validation.size() == 0) {
            return null;
        }
        return new LoaderEpoch(new BatchLoader(validation, batchSize, false, false, seed, 0, 0, workers, prefetch(),
                false));
    }

    private int prefetch() {
        return Math.max(2, workers);
    }

    @Override
    public Batch trialBatch(NDManager into, int batchSize) {
        ImageDataset train = split.train();
        HostBatch zeros = new HostBatch(new byte[batchSize * train.height() * train.width() * 3], new long[batchSize],
                batchSize, train.height(), train.width());
        return new Batch(new NDList(tensors.images(zeros, into)), tensors.labels(zeros, into), batchSize);
    }

    @Override
    public String describe() {
        ImageDataset train = split.train();
        int validation = split.validation().size();
        return String.format(Locale.ROOT, "%s: %d classes, %d training and %d validation images of %dx%d, %d loader threads",
                description, labels().size(), train.size(), validation, train.width(), train.height(), workers);
    }

    @Override
    public void close() {
        // the datasets hold no resources; each epoch's loader is closed by its user
    }

    /** An epoch read through a loader. */
    private final class LoaderEpoch implements Epoch {
        private final BatchLoader loader;

        LoaderEpoch(BatchLoader loader) {
            this.loader = loader;
        }

        @Override
        public boolean hasNext() {
            return loader.hasNext();
        }

        @Override
        public Batch next(NDManager into) {
            HostBatch batch = loader.next();
            NDArray images = tensors.images(batch, into);
            Batch result = new Batch(new NDList(images), tensors.labels(batch, into), batch.count());
            loader.recycle(batch); // the engine copied the bytes: the loader may refill them
            return result;
        }

        @Override
        public long waitNanos() {
            return loader.waitNanos();
        }

        @Override
        public void close() {
            loader.close();
        }
    }
}
