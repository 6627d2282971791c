package io.dlstation.serve.wlm;

import java.time.Duration;
import java.util.List;

/**
 * How one model's requests are queued and batched.
 *
 * @param maxBatchSize the most samples in one batch
 * @param maxDelay how long the oldest queued request waits for others to join its batch
 * @param preferredBatchSizes sample counts run as soon as they can be formed, ascending
 * @param queueCapacity the most requests queued at once
 * @param defaultTimeout how long a request may stay queued when it names no timeout of its own
 */
public record BatchingPolicy(int maxBatchSize, Duration maxDelay, List<Integer> preferredBatchSizes,
        int queueCapacity, Duration defaultTimeout) {

    public BatchingPolicy {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize < 1: " + maxBatchSize);
        }
        if (maxDelay == null || maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay < 0: " + maxDelay);
        }
        preferredBatchSizes = preferredBatchSizes == null ? List.of()
                : preferredBatchSizes.stream().distinct().sorted().toList();
        for (int size : preferredBatchSizes) {
            if (size < 1 || size > maxBatchSize) {
                throw new IllegalArgumentException("preferred batch size outside 1.." + maxBatchSize + ": " + size);
            }
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity < 1: " + queueCapacity);
        }
        if (defaultTimeout == null || defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout <= 0: " + defaultTimeout);
        }
    }
}
