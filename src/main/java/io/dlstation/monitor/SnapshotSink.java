package io.dlstation.monitor;

/**
 * Receives every snapshot the sampler takes: the terminal view, JSON lines, the log file, the
 * Prometheus collectors' latest value, the alert engine. A TensorBoard sink is one more: it writes
 * {@link SnapshotScalars#of(MonitorSnapshot)} at a step that counts snapshots.
 *
 * <p>Called on the sampler thread, one snapshot at a time; an implementation that blocks delays the
 * next sample, so slow work (HTTP) belongs on its own thread. An exception is reported and the loop
 * goes on.
 */
public interface SnapshotSink extends AutoCloseable {

    /** Takes one snapshot. */
    void accept(MonitorSnapshot snapshot);

    /** What the sink is, for messages to the user ("the log /var/log/monitor.log"). */
    default String describe() {
        return "an output";
    }

    /** Flushes and releases what the sink holds; the default does nothing. */
    @Override
    default void close() {}
}
