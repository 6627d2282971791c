package io.dlstation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dlstation.engine.Scopes;
import io.dlstation.models.BertConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Random tensors made on the device, for throughput only: nothing is learnt from them and there is no
 * validation set. Images are normal noise in the compute type; sequences are random token ids. One
 * batch is drawn per epoch and reused, so no time goes to making data.
 */
final class SyntheticData implements TrainingData {
    private final boolean sequences;
    private final int inputSize;
    private final int classes;
    private final int trainSize;
    private final DataType computeType;
    private final NDManager owner;
    private NDList cached;
    private NDArray cachedLabels;

    SyntheticData(boolean sequences, int inputSize, int classes, int trainSize, DataType computeType, NDManager owner) {
        this.sequences = sequences;
        this.inputSize = inputSize;
        this.classes = classes;
        this.trainSize = trainSize;
        this.computeType = computeType;
        this.owner = owner.newSubManager();
    }

    @Override
    public List<String> labels() {
        List<String> names = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            names.add("class" + i);
        }
        return names;
    }

    @Override
    public long[] sampleShape() {
        return sequences ? new long[] {inputSize} : new long[] {3, inputSize, inputSize};
    }

    @Override
    public long batchesPerEpoch(int batchSize) {
        return trainSize / batchSize;
    }

    @Override
    public long trainSize() {
        return trainSize;
    }

    @Override
    public Epoch train(int epoch, long skipBatches, int batchSize) {
        long total = batchesPerEpoch(batchSize);
        return new Epoch() {
            private long position = skipBatches;

            @Override
            public boolean hasNext() {
                return position < total;
            }

            @Override
            public Batch next(NDManager into) {
                position++;
                Batch fixed = fixedBatch(batchSize);
                return new Batch(Scopes.views(fixed.inputs(), into), Scopes.views(new NDList(fixed.labels()), into).head(),
                        batchSize);
            }

            @Override
            public long waitNanos() {
                return 0;
            }

            @Override
            public void close() {
                // the cached batch lives as long as the data
            }
        };
    }

    private Batch fixedBatch(int batchSize) {
        if (cached == null || cachedLabels.getShape().get(0) != batchSize) {
            if (cached != null) {
                cached.close();
                cachedLabels.close();
            }
            Batch fresh = trialBatch(owner, batchSize);
            cached = fresh.inputs();
            cachedLabels = fresh.labels();
        }
        return new Batch(cached, cachedLabels, batchSize);
    }

    @Override
    public Epoch validation(int batchSize) {
        return null;
    }

    @Override
    public Batch trialBatch(NDManager into, int batchSize) {
        NDArray labels = into.randomInteger(0, classes, new Shape(batchSize), DataType.INT64);
        if (sequences) {
            Shape shape = new Shape(batchSize, inputSize);
            NDArray ids = into.randomInteger(0, BertConfig.base().vocabSize(), shape, DataType.INT64);
            return new Batch(new NDList(ids, into.zeros(shape, DataType.INT64)), labels, batchSize);
        }
        NDArray drawn = into.randomNormal(new Shape(batchSize, 3, inputSize, inputSize));
        NDArray images = drawn.toType(computeType, false);
        if (images != drawn) {
            drawn.close(); // not kept beside the batch for the whole run
        }
        return new Batch(new NDList(images), labels, batchSize);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "synthetic %s: random %s, %d classes, %d samples per epoch, no validation",
                sequences ? "sequences" : "images", sequences ? "token ids of length " + inputSize
                        : inputSize + "x" + inputSize + " images", classes, trainSize);
    }

    @Override
    public void close() {
        owner.close();
    }
}
