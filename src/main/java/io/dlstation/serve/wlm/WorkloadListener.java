package io.dlstation.serve.wlm;

/**
 * What the work-load manager reports as it goes, for metrics. Called on the queue's and the workers'
 * threads: implementations are quick, thread safe and never throw.
 */
public interface WorkloadListener {
    /** A listener that records nothing. */
    WorkloadListener NONE = new WorkloadListener() {};

    /** A request left the queue for a batch after waiting {@code queuedNanos}. */
    default void dequeued(long queuedNanos) {}

    /** A request passed its deadline while queued and was answered without running. */
    default void expired() {}

    /**
     * A batch of {@code requests} requests and {@code samples} samples ran for {@code computeNanos} on
     * {@code device} (the runner's {@link BatchRunner#device()}).
     */
    default void batchRan(String device, int requests, int samples, long computeNanos, boolean succeeded) {}
}
