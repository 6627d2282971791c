package io.dlstation.models;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import java.util.List;

/**
 * The {@code serving:} section of {@code model.yaml}: how {@code dlstation serve} batches and runs the
 * model. Every field is optional; a missing one takes the default named here.
 *
 * @param maxBatchSize the most samples in one forward pass (default 32)
 * @param maxBatchDelayMs how long the oldest queued request may wait for others to join its batch
 *     (default 5; 0: run what is queued at once)
 * @param preferredBatchSizes batch sizes run as soon as that many samples are queued (default none)
 * @param queueSize the most requests waiting for this model; more are refused with 429 (default 1024)
 * @param timeoutMs how long a request may wait in the queue before it is answered 504 without running
 *     (default 30000; a request's own {@code timeout} parameter overrides it)
 * @param instances workers per device, each running batches (default 1; 2 overlaps batch assembly with
 *     compute on a GPU)
 * @param precision {@code fp32} or {@code fp16} (default fp32). For a TorchScript model it is the type of
 *     its weights: floating inputs are cast to it on the device. For a dlstation model, fp16 converts the
 *     weights at load.
 * @param warmupBatches forward passes run at each warm-up batch size before the model is ready (default 2)
 * @param warmupEverySize whether warm-up also runs one forward pass at every other batch size from 1 to
 *     {@code maxBatchSize} (default: on GPUs yes, on the CPU no; see {@link #warmsEverySize}). The batcher
 *     forms batches of any size, and on a GPU the engine plans its convolutions once per input shape
 *     and serving thread, so a server warmed at a few sizes runs its first batch of each other size
 *     slowly; this moves that cost before readiness, at the price of a longer start.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ServingOptions(Integer maxBatchSize, Double maxBatchDelayMs, List<Integer> preferredBatchSizes,
        Integer queueSize, Long timeoutMs, Integer instances, Precision precision, Integer warmupBatches,
        Boolean warmupEverySize) {

    public ServingOptions {
        maxBatchSize = maxBatchSize == null ? 32 : maxBatchSize;
        maxBatchDelayMs = maxBatchDelayMs == null ? 5.0 : maxBatchDelayMs;
        preferredBatchSizes = preferredBatchSizes == null ? List.of()
                : preferredBatchSizes.stream().distinct().sorted().toList();
        queueSize = queueSize == null ? 1024 : queueSize;
        timeoutMs = timeoutMs == null ? 30_000L : timeoutMs;
        instances = instances == null ? 1 : instances;
        precision = precision == null ? Precision.FP32 : precision;
        warmupBatches = warmupBatches == null ? 2 : warmupBatches;
        if (maxBatchSize < 1 || maxBatchSize > 65_536) {
            throw DlstationException.badInput("max_batch_size must be 1 to 65536: " + maxBatchSize);
        }
        if (!(maxBatchDelayMs >= 0) || maxBatchDelayMs > 60_000) {
            throw DlstationException.badInput("max_batch_delay_ms must be 0 to 60000: " + maxBatchDelayMs);
        }
        for (int size : preferredBatchSizes) {
            if (size < 1 || size > maxBatchSize) {
                throw DlstationException.badInput("preferred_batch_sizes must lie in 1.." + maxBatchSize
                        + " (max_batch_size): " + size);
            }
        }
        if (queueSize < 1) {
            throw DlstationException.badInput("queue_size must be at least 1: " + queueSize);
        }
        if (timeoutMs < 1) {
            throw DlstationException.badInput("timeout_ms must be at least 1: " + timeoutMs);
        }
        if (instances < 1 || instances > 64) {
            throw DlstationException.badInput("instances must be 1 to 64: " + instances);
        }
        if (precision != Precision.FP32 && precision != Precision.FP16) {
            throw DlstationException.badInput("precision must be fp32 or fp16 for serving: " + precision
                    + " (fp16-mixed is a training mode)");
        }
        if (warmupBatches < 0) {
            throw DlstationException.badInput("warmup_batches must be 0 or more: " + warmupBatches);
        }
        if (Boolean.TRUE.equals(warmupEverySize) && warmupBatches == 0) {
            throw DlstationException.badInput("warmup_every_size needs warmup_batches of 1 or more (0 turns warm-up off)");
        }
    }

    /**
     * Whether warm-up runs every batch size: as {@code warmup_every_size} says, or when it is not given,
     * on GPUs (where a batch of a size not seen before costs about three times as long, for tens of
     * seconds under load) and not on the CPU; never when warm-up is off.
     */
    public boolean warmsEverySize(boolean onGpu) {
        return warmupBatches > 0 && (warmupEverySize == null ? onGpu : warmupEverySize);
    }

    /** Every field at its default. */
    public static ServingOptions defaults() {
        return new ServingOptions(null, null, null, null, null, null, null, null, null);
    }
}
