package io.dlstation.serve.http;

/**
 * Whether the server is ready: after the models it started with are loaded and warmed up, and until it
 * begins to drain. Live all along.
 */
public final class ServerStatus {
    private volatile boolean started;
    private volatile boolean draining;
    private volatile String notReady = "the models are loading";

    /** The models the server started with are loaded and warmed up. */
    public void started() {
        started = true;
    }

    /** Startup failed; {@code reason} says why. */
    public void failed(String reason) {
        notReady = reason;
    }

    /** The server is stopping: readiness ends and new inference requests are refused. */
    public void draining() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    public boolean isReady() {
        return started && !draining;
    }

    /** Why the server is not ready, or null when it is. */
    public String whyNotReady() {
        if (draining) {
            return "the server is shutting down";
        }
        return started ? null : notReady;
    }
}
