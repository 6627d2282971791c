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
 */
public record HttpSettings(String host, int port, long maxRequestBytes, int queueFullStatus, int retryAfterSeconds,
        String adminToken, Duration drainTimeout) {

    public HttpSettings {
        if (queueFullStatus != 429 && queueFullStatus != 503) {
            throw new IllegalArgumentException("queueFullStatus must be 429 or 503: " + queueFullStatus);
        }
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
    }
}
