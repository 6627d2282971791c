package io.dlstation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.dlstation.models.nn.TorchModule;
import io.dlstation.train.step.Losses;

/** Loss and accuracy of a model over a validation set, in evaluation mode (BatchNorm's running statistics). */
final class Validation {
    /** The mean loss and the fraction classified right, over {@code samples} samples. */
    record Result(double loss, double accuracy, long samples) {}

    private Validation() {}

    /** Runs every batch of {@code epoch} (which it closes); the sums stay on the device until the end. */
    static Result run(TorchModule model, TrainingData.Epoch epoch, NDManager parent) {
        try (epoch; NDManager totals = parent.newSubManager()) {
            NDArray lossSum = null;
            NDArray correct = null;
            long samples = 0;
            while (epoch.hasNext()) {
                try (NDManager batchScope = parent.newSubManager()) {
                    TrainingData.Batch batch = epoch.next(batchScope);
                    NDArray logits = model.call(batch.inputs(), false).head();
                    NDArray loss = Losses.crossEntropy(new NDList(logits), batch.labels()).mul(batch.count());
                    NDArray hits = logits.argMax(1).eq(batch.labels()).sum();
                    lossSum = add(lossSum, loss, totals);
                    correct = add(correct, hits.toType(ai.djl.ndarray.types.DataType.INT64, false), totals);
                    samples += batch.count();
                }
            }
            if (samples == 0) {
                return new Result(Double.NaN, Double.NaN, 0);
            }
            return new Result(lossSum.getFloat() / samples, (double) correct.getLong() / samples, samples);
        }
    }

    private static NDArray add(NDArray total, NDArray value, NDManager totals) {
        NDArray sum = total == null ? value.duplicate() : total.add(value);
        sum.attach(totals);
        return sum;
    }
}
