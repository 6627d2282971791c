package io.dlstation.train.step;

/**
 * Dynamic loss scaling with PyTorch {@code GradScaler}'s semantics: start at 65536; after a step whose
 * gradients hold inf or NaN, skip the optimiser and halve the scale; after 2000 clean steps in a row,
 * double it. Not thread-safe: one per training loop.
 */
public final class LossScaler {
    /** The scaler's whole state, for checkpoints. */
    public record State(float scale, int cleanSteps) {}

    private final float growthFactor;
    private final float backoffFactor;
    private final int growthInterval;
    private float scale;
    private int cleanSteps;

    /** PyTorch's defaults: 65536, x2 after 2000 clean steps, x0.5 on overflow. */
    public LossScaler() {
        this(65536f, 2f, 0.5f, 2000);
    }

    public LossScaler(float initialScale, float growthFactor, float backoffFactor, int growthInterval) {
        if (!(initialScale > 0) || !(growthFactor > 1) || !(backoffFactor > 0 && backoffFactor < 1) || growthInterval < 1) {
            throw new IllegalArgumentException("bad loss scaler settings: scale " + initialScale + ", growth "
                    + growthFactor + ", backoff " + backoffFactor + ", interval " + growthInterval);
        }
        this.scale = initialScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
    }

    /** The factor the loss is multiplied by before backward. */
    public float scale() {
        return scale;
    }

    /**
     * Records the outcome of one step's gradients.
     *
     * @param foundNonFinite whether any gradient was inf or NaN (then the caller skipped the step)
     */
    public void update(boolean foundNonFinite) {
        if (foundNonFinite) {
            scale *= backoffFactor;
            cleanSteps = 0;
        } else if (++cleanSteps >= growthInterval) {
            scale *= growthFactor;
            cleanSteps = 0;
        }
    }

    public State state() {
        return new State(scale, cleanSteps);
    }

    /** Restores a state saved with {@link #state()}. */
    public void restore(State state) {
        if (!(state.scale() > 0) || state.cleanSteps() < 0) {
            throw new IllegalArgumentException("bad loss scaler state: " + state);
        }
        scale = state.scale();
        cleanSteps = state.cleanSteps();
    }
}
