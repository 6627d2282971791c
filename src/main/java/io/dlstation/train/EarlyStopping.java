package io.dlstation.train;

/**
 * Stops a run when the validation loss has not fallen by at least {@code minDelta} for {@code
 * patience} epochs in a row (Lightning's {@code EarlyStopping(monitor="val_loss")}). Patience 0 turns
 * it off. Its state goes into checkpoints.
 */
final class EarlyStopping {
    private final int patience;
    private final double minDelta;
    private double best;
    private int epochsWithoutImprovement;

    public EarlyStopping(int patience, double minDelta, CheckpointManifest.Progress restored) {
        if (patience < 0 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("patience < 0 or min delta < 0: " + patience + ", " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.best = restored == null ? Double.POSITIVE_INFINITY : restored.bestValidationLoss();
        this.epochsWithoutImprovement = restored == null ? 0 : restored.epochsWithoutImprovement();
    }

    /** Records an epoch's validation loss; true when the run should stop now. */
    public boolean record(double validationLoss) {
        if (validationLoss < best - minDelta) {
            best = validationLoss;
            epochsWithoutImprovement = 0;
        } else {
            epochsWithoutImprovement++;
        }
        return patience > 0 && epochsWithoutImprovement >= patience;
    }

    /** The best validation loss so far (infinite before the first). */
    public double best() {
        return best;
    }

    /** Whether the last recorded loss was the best so far. */
    public boolean improvedLast() {
        return epochsWithoutImprovement == 0 && Double.isFinite(best);
    }

    public CheckpointManifest.Progress state() {
        return new CheckpointManifest.Progress(best, epochsWithoutImprovement);
    }
}
