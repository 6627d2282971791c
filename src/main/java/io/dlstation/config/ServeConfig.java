package io.dlstation.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.dlstation.error.DlstationException;
import java.time.Duration;

/**
 * The {@code serve:} section of dlstation.yaml; {@code dlstation serve}'s flags override each field.
 *
 * @param host the address to listen on (default 127.0.0.1)
 * @param port the port (default 8080; 0 picks a free one)
 * @param modelRepository the folder of model folders (no default)
 * @param maxRequestBytes the largest request body accepted; larger ones get 413 (default 64 MiB)
 * @param drainTimeout how long a stopping server finishes queued and running requests and waits for its
 *     clients to close their connections (default 30s)
 * @param queueFullStatus the status of a request refused by a full queue: 429 or 503 (default 429)
 * @param retryAfterSeconds the {@code Retry-After} a refused request is told (default 1)
 * @param gpuMetricsInterval how often the GPU gauges of {@code /metrics} are sampled (default 5s)
 * @param maxImagePixels the most pixels of an image sent to {@code /predict}; larger ones get 413 before
 *     they are decoded (default 40,000,000)
 */
public record ServeConfig(String host, Integer port, String modelRepository, Long maxRequestBytes,
        @JsonDeserialize(using = DurationText.NonNegative.class) Duration drainTimeout, Integer queueFullStatus,
        Integer retryAfterSeconds, @JsonDeserialize(using = DurationText.Positive.class) Duration gpuMetricsInterval,
        Long maxImagePixels) {

    public ServeConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 8080 : port;
        maxRequestBytes = maxRequestBytes == null ? 64L << 20 : maxRequestBytes;
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(30) : drainTimeout;
        queueFullStatus = queueFullStatus == null ? 429 : queueFullStatus;
        retryAfterSeconds = retryAfterSeconds == null ? 1 : retryAfterSeconds;
        gpuMetricsInterval = gpuMetricsInterval == null ? Duration.ofSeconds(5) : gpuMetricsInterval;
        maxImagePixels = maxImagePixels == null ? 40_000_000L : maxImagePixels;
        if (port < 0 || port > 65_535) {
            throw DlstationException.badInput("port " + port + " is not a port; use 0 to 65535");
        }
        if (maxRequestBytes < 1024) {
            throw DlstationException.badInput("max_request_bytes " + maxRequestBytes + " is too small; use 1024 or more");
        }
        if (queueFullStatus != 429 && queueFullStatus != 503) {
            throw DlstationException.badInput("queue_full_status " + queueFullStatus + ": use 429 or 503");
        }
        if (retryAfterSeconds < 0) {
            throw DlstationException.badInput("retry_after_seconds " + retryAfterSeconds + " is negative");
        }
        if (maxImagePixels < 1) {
            throw DlstationException.badInput("max_image_pixels " + maxImagePixels + " is too small; use 1 or more "
                    + "(default 40000000)");
        }
    }

    /** Every field at its default. */
    public static ServeConfig defaults() {
        return new ServeConfig(null, null, null, null, null, null, null, null, null);
    }
}
