package io.dlstation.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.dlstation.engine.Precision;
import io.dlstation.models.Architecture;
import io.dlstation.error.DlstationException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Everything one training run is asked to do, validated: each bad value is refused naming its flag.
 * Saved in every checkpoint's manifest, so a resumed run continues with the same settings.
 *
 * @param data {@code shapes}, {@code imagefolder:DIR} or {@code synthetic}
 * @param epochs passes over the training data (0 when only {@code maxSteps} bounds the run)
 * @param maxSteps optimiser steps after which the run ends (0: no limit)
 * @param batchSize samples per forward pass; 0 means find the largest that fits ({@code auto})
 * @param batchSizeMargin under {@code auto}, the fraction kept free below the largest batch that fits
 * @param maxBatchSize under {@code auto}, the largest batch tried
 * @param accumulate forward passes (micro-batches) per optimiser step
 * @param clipGradNorm the global gradient norm clipped to; 0 for none
 * @param lrSchedule {@code constant} or {@code cosine} (decay to 0 over the run, after the warm-up)
 * @param warmupSteps steps of linear learning-rate warm-up from 0
 * @param inputSize image side in pixels, or sequence length for a sequence model
 * @param trainSize samples per epoch of generated data ({@code shapes}, {@code synthetic})
 * @param validationSize validation samples of generated data
 * @param checkpointEvery steps between checkpoints (0: at the end of every epoch only)
 * @param keepCheckpoints how many checkpoints to keep, newest first
 * @param earlyStopPatience epochs without improvement of the validation loss before stopping (0: off)
 * @param earlyStopMinDelta the least decrease of the validation loss that counts as improvement
 * @param logEvery steps between log lines, CSV rows and TensorBoard points
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainSettings(
        Architecture model,
        String data,
        int epochs,
        long maxSteps,
        int batchSize,
        double batchSizeMargin,
        int maxBatchSize,
        int accumulate,
        Precision precision,
        String optimizer,
        float lr,
        float momentum,
        float weightDecay,
        float clipGradNorm,
        String lrSchedule,
        int warmupSteps,
        int inputSize,
        int trainSize,
        int validationSize,
        int workers,
        long seed,
        int checkpointEvery,
        int keepCheckpoints,
        int earlyStopPatience,
        double earlyStopMinDelta,
        int logEvery,
        Path out) {

    private static final Set<String> OPTIMIZERS = Set.of("sgd", "adamw");
    private static final Set<String> SCHEDULES = Set.of("constant", "cosine");

    public TrainSettings {
        if (model == null) {
            throw DlstationException.badInput("--model is required: small-cnn, resnet18, resnet50 or bert-base");
        }
        if (epochs < 0 || maxSteps < 0 || (epochs == 0 && maxSteps == 0)) {
            throw DlstationException.badInput("--epochs " + epochs + " / --max-steps " + maxSteps
                    + ": give a positive --epochs or --max-steps (or both: whichever ends first)");
        }
        if (batchSize < 0) {
            throw DlstationException.badInput("--batch-size " + batchSize + ": must be a positive number or 'auto'");
        }
        if (!(batchSizeMargin >= 0 && batchSizeMargin < 0.9)) {
            throw DlstationException.badInput("--batch-size-margin " + batchSizeMargin + ": must be in [0, 0.9)");
        }
        if (maxBatchSize < 1) {
            throw DlstationException.badInput("--max-batch-size " + maxBatchSize + ": must be at least 1");
        }
        if (accumulate < 1) {
            throw DlstationException.badInput("--accumulate " + accumulate
                    + ": must be at least 1 (1 = one forward pass per optimiser step)");
        }
        if (precision == null || precision == Precision.FP16) {
            throw DlstationException.badInput("--precision " + precision + ": train with fp32 or fp16-mixed "
                    + "(pure fp16 is for inference: its updates underflow)");
        }
        optimizer = lower(optimizer);
        if (!OPTIMIZERS.contains(optimizer)) {
            throw DlstationException.badInput("--optimizer " + optimizer + ": use sgd or adamw");
        }
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw DlstationException.badInput("--lr " + lr + ": must be a positive number");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw DlstationException.badInput("--momentum " + momentum + ": must be in [0, 1)");
        }
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw DlstationException.badInput("--weight-decay " + weightDecay + ": must be >= 0");
        }
        if (!(clipGradNorm >= 0) || Float.isInfinite(clipGradNorm)) {
            throw DlstationException.badInput("--clip-grad-norm " + clipGradNorm + ": must be a positive number (or 0 for none)");
        }
        lrSchedule = lower(lrSchedule);
        if (!SCHEDULES.contains(lrSchedule)) {
            throw DlstationException.badInput("--lr-schedule " + lrSchedule + ": use constant or cosine");
        }
        if (warmupSteps < 0) {
            throw DlstationException.badInput("--warmup-steps " + warmupSteps + ": must be >= 0");
        }
        if (inputSize < 8) {
            throw DlstationException.badInput("--input-size " + inputSize + ": must be at least 8");
        }
        if (model.takesSequences() && inputSize > 512) {
            throw DlstationException.badInput("--input-size " + inputSize + ": bert-base reads at most 512 tokens");
        }
        if (trainSize < 1 || validationSize < 0) {
            throw DlstationException.badInput("--train-size " + trainSize + " / --val-size " + validationSize
                    + ": must be at least 1 and 0");
        }
        if (workers < 1) {
            throw DlstationException.badInput("--workers " + workers + ": must be at least 1");
        }
        if (checkpointEvery < 0 || keepCheckpoints < 1) {
            throw DlstationException.badInput("--checkpoint-every " + checkpointEvery + " / --keep-checkpoints "
                    + keepCheckpoints + ": must be >= 0 and >= 1");
        }
        if (earlyStopPatience < 0 || !(earlyStopMinDelta >= 0)) {
            throw DlstationException.badInput("--early-stop-patience " + earlyStopPatience + " / --early-stop-min-delta "
                    + earlyStopMinDelta + ": must be >= 0");
        }
        if (logEvery < 1) {
            throw DlstationException.badInput("--log-every " + logEvery + ": must be at least 1");
        }
        if (out == null) {
            throw DlstationException.badInput("--out is required: the run's folder, e.g. runs/shapes-cnn");
        }
        if (data == null || data.isBlank()) {
            throw DlstationException.badInput("--data is required: shapes, imagefolder:DIR or synthetic");
        }
        if (model.takesSequences() && !data.strip().equalsIgnoreCase("synthetic")) {
            throw DlstationException.badInput("--data " + data + ": bert-base reads token sequences; "
                    + "use --data synthetic (image data is for small-cnn and the ResNets)");
        }
    }

    /** Whether the batch size is to be found ({@code --batch-size auto}). */
    public boolean autoBatchSize() {
        return batchSize == 0;
    }

    /** These settings with the batch size a search chose. */
    public TrainSettings withBatchSize(int size) {
        return new TrainSettings(model, data, epochs, maxSteps, size, batchSizeMargin, maxBatchSize, accumulate,
                precision, optimizer, lr, momentum, weightDecay, clipGradNorm, lrSchedule, warmupSteps, inputSize,
                trainSize, validationSize, workers, seed, checkpointEvery, keepCheckpoints, earlyStopPatience,
                earlyStopMinDelta, logEvery, out);
    }

    /** These settings with a new bound on the run (what a resumed run may change). */
    public TrainSettings withLength(int newEpochs, long newMaxSteps, Path newOut) {
        return new TrainSettings(model, data, newEpochs, newMaxSteps, batchSize, batchSizeMargin, maxBatchSize,
                accumulate, precision, optimizer, lr, momentum, weightDecay, clipGradNorm, lrSchedule, warmupSteps,
                inputSize, trainSize, validationSize, workers, seed, checkpointEvery, keepCheckpoints,
                earlyStopPatience, earlyStopMinDelta, logEvery, newOut);
    }

    private static String lower(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    }
}
