package io.dlstation.serve.loadgen;

import java.time.Duration;
import java.util.List;

/**
 * One load run.
 *
 * @param url the server, e.g. {@code http://127.0.0.1:8080}
 * @param model the model to send requests to
 * @param concurrencies the levels to measure: requests in flight at once (closed loop), or the cap on them
 *     (open loop)
 * @param duration how long each level is measured
 * @param warmup how long each level runs before it is measured
 * @param rate requests per second for an open loop; null for a closed loop
 * @param batch samples per request
 * @param binary whether tensors travel in the binary extension (else JSON)
 * @param timeout how long one request may take before it counts as an error
 * @param sampleInterval how often to scrape the server's {@code /metrics} for its memory and errors; null: never
 */
public record LoadSettings(String url, String model, List<Integer> concurrencies, Duration duration, Duration warmup,
        Double rate, int batch, boolean binary, Duration timeout, Duration sampleInterval) {

    public LoadSettings {
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        concurrencies = List.copyOf(concurrencies);
        if (concurrencies.isEmpty() || concurrencies.stream().anyMatch(c -> c < 1 || c > 100_000)) {
            throw new IllegalArgumentException("concurrency levels must be 1 to 100000: " + concurrencies);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (rate != null && !(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch < 1: " + batch);
        }
        if (sampleInterval != null && sampleInterval.toMillis() < 10) {
            throw new IllegalArgumentException("the server metrics sampling interval must be 10ms or more: "
                    + sampleInterval);
        }
    }

    /** {@code closed} or {@code open}. */
    public String mode() {
        return rate == null ? "closed" : "open";
    }
}
