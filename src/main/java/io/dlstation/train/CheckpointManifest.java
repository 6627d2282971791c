package io.dlstation.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.dlstation.train.step.LossScaler;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint folder holds besides its tensors, written last as {@code manifest.json}: a folder
 * without a readable manifest whose file hashes match is not a checkpoint.
 *
 * @param schema the manifest format (1)
 * @param step optimiser steps done
 * @param epoch the epoch in progress (0-based)
 * @param batchInEpoch micro-batches of {@code epoch} already consumed: the data loader resumes there
 * @param samplesSeen training samples consumed in all
 * @param optimizer the optimiser's name and its counters (e.g. AdamW's step per group)
 * @param lossScale the loss scaler's state under fp16-mixed, else null
 * @param labels the class names, in label order
 * @param settings the run's settings; a resumed run takes them from here
 * @param progress early-stopping state and the best validation loss so far
 * @param files each tensor file's size and SHA-256
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record CheckpointManifest(
        int schema,
        String model,
        long step,
        int epoch,
        long batchInEpoch,
        long samplesSeen,
        OptimizerInfo optimizer,
        LossScaler.State lossScale,
        List<String> labels,
        TrainSettings settings,
        Progress progress,
        Map<String, FileDigest> files,
        String created) {

    /** The optimiser's name, learning rate and counters. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OptimizerInfo(String name, float learningRate, Map<String, Long> counters) {}

    /** Early stopping's memory. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Progress(double bestValidationLoss, int epochsWithoutImprovement) {}

    /** A file's length and SHA-256 (hex). */
    public record FileDigest(long bytes, String sha256) {}
}
