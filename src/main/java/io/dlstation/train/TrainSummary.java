package io.dlstation.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.dlstation.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run did, written to {@code summary.json} at its end.
 *
 * @param stopReason {@code epochs}, {@code max_steps} or {@code early_stopping}
 * @param trainSamplesPerSecond training samples over the time spent in training steps (validation and
 *     checkpoints excluded), for this process's part of the run
 * @param steadySamplesPerSecond the same without the run's first log window (which holds cuDNN's
 *     algorithm search and the loader's start); NaN when there was only one window
 * @param lossScales the loss scale at each logged step under fp16-mixed (step, scale), else empty
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainSummary(
        int schema,
        String model,
        String precision,
        String device,
        int batchSize,
        int accumulate,
        long steps,
        int epochs,
        long samplesSeen,
        String stopReason,
        double trainLoss,
        double validationLoss,
        double validationAccuracy,
        double bestValidationLoss,
        double trainSamplesPerSecond,
        double steadySamplesPerSecond,
        double trainSeconds,
        long skippedSteps,
        double finalLossScale,
        List<long[]> lossScales,
        String lastCheckpoint,
        String modelFolder) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes {@code summary} to {@code file} atomically. */
    static void write(Path file, TrainSummary summary) {
        try {
            AtomicFiles.write(file, out -> JSON.writeValue(out, summary));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
