package io.dlstation.serve.http;

import java.time.Duration;

/**
 * What the HTTP server is told at start.
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one
 * @param maxRequestBytes the largest body accepted; larger ones get 413
 * @param queueFullStatus 429 or 503: the status of a request refused by a full queue
 * @param retryAfterSeconds the {@code Retry-After} of 429 and 503 answers
 * @param adminToken the bearer token of the repository API; null turns that API off
 * @param drainTimeout how long a stopping server finishes queued and running requests and waits for its
 *     clients to close their connections
 * @param maxImagePixels the most pixels (width x height) of an image sent to {@code /predict}; one with
 *     more is answered 413 from its header, before it is decoded
 */
public record HttpSettings(String host, int port, long maxRequestBytes, int queueFullStatus, int retryAfterSeconds,
        String adminToken, Duration drainTimeout, long maxImagePixels) {

    /**
     * 40 megapixels: an 8K frame (33 MP) or a 24 MP camera photo passes, 800 times a 224x224 model input.
     * Decoding one takes at most about 420 MiB (16-bit RGBA samples and their RGB copy), an 8-bit RGB
     * photo about 115 MiB.
     */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 40_000_000L;

    public HttpSettings {
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("maxImagePixels must be 1 or more: " + maxImagePixels);
        }
        if (queueFullStatus != 429 && queueFullStatus != 503) {
            throw new IllegalArgumentException("queueFullStatus must be 429 or 503: " + queueFullStatus);
        }
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
    }

    /** The settings with images limited to {@link #DEFAULT_MAX_IMAGE_PIXELS}. */
    public HttpSettings(String host, int port, long maxRequestBytes, int queueFullStatus, int retryAfterSeconds,
            String adminToken, Duration drainTimeout) {
        this(host, port, maxRequestBytes, queueFullStatus, retryAfterSeconds, adminToken, drainTimeout,
                DEFAULT_MAX_IMAGE_PIXELS);
    }
}
