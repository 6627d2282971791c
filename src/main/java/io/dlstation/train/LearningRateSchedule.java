package io.dlstation.train;

/**
 * The learning rate at each optimiser step: a linear warm-up from 0 over {@code warmupSteps}, then
 * constant or a cosine decay to 0 at {@code totalSteps} (PyTorch's {@code CosineAnnealingLR} after a
 * {@code LinearLR} warm-up). A pure function of the step, so a resumed run needs no extra state.
 */
record LearningRateSchedule(float base, boolean cosine, long warmupSteps, long totalSteps) {

    public LearningRateSchedule {
        if (!(base > 0) || warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("bad schedule: lr " + base + ", warm-up " + warmupSteps + ", total "
                    + totalSteps);
        }
    }

    /** The rate for the update that makes step {@code step + 1} (steps count from 0). */
    public float at(long step) {
        if (step < warmupSteps) {
            return base * (step + 1) / (warmupSteps + 1);
        }
        if (!cosine) {
            return base;
        }
        long decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return (float) (base * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
