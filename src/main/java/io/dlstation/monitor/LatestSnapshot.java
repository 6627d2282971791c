package io.dlstation.monitor;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Keeps the most recent snapshot for readers on other threads (a Prometheus scrape). */
public final class LatestSnapshot implements SnapshotSink, Supplier<MonitorSnapshot> {
    private final AtomicReference<MonitorSnapshot> latest = new AtomicReference<>();

    @Override
    public void accept(MonitorSnapshot snapshot) {
        latest.set(snapshot);
    }

    /** The last snapshot taken, or null before the first. */
    @Override
    public MonitorSnapshot get() {
        return latest.get();
    }
}
