package io.dlstation.monitor;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Samples every interval and hands each snapshot to the sinks, in order.
 *
 * <p>Design: one periodic task on an injected scheduler (tests step it by hand). A scheduled task that
 * throws is silently cancelled by the executor, so every tick catches everything: a failing sink is
 * reported through {@code problems} (once, until its message changes) and the next sink and the next
 * tick still run. Ticks never overlap: the scheduler runs a late tick after the one before it ends.
 *
 * <p>Thread safety: {@link #tick()} runs on the scheduler's thread; {@link #close()} may be called from
 * any thread and waits for a running tick, so sinks are never closed under it. Both hold the loop's
 * lock, which also guards the problem map.
 */
public final class MonitorLoop implements AutoCloseable {
    private final Sampler sampler;
    private final List<SnapshotSink> sinks;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final long maxSamples;
    private final Consumer<String> problems;
    private final CompletableFuture<Long> finished = new CompletableFuture<>();
    private final Map<SnapshotSink, String> lastProblem = new HashMap<>();
    private volatile ScheduledFuture<?> task;
    private volatile long samples;

    /**
     * @param sinks receive each snapshot in this order (put the alert engine before views that show alerts)
     * @param maxSamples stop after this many snapshots; 0 for no limit
     * @param problems where a failing sink is reported (a line for the user)
     */
    public MonitorLoop(Sampler sampler, List<SnapshotSink> sinks, ScheduledExecutorService scheduler, Duration interval,
            long maxSamples, Consumer<String> problems) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval <= 0: " + interval);
        }
        if (maxSamples < 0) {
            throw new IllegalArgumentException("maxSamples < 0: " + maxSamples);
        }
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.sinks = List.copyOf(sinks);
        this.scheduler = scheduler;
        this.interval = interval;
        this.maxSamples = maxSamples;
        this.problems = problems;
    }

    /** Starts sampling now and then every interval. */
    public synchronized void start() {
        if (task != null) {
            throw new IllegalStateException("already started");
        }
        task = scheduler.scheduleAtFixedRate(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Completes with the number of snapshots taken when the loop stops (the sample limit, or close). */
    public CompletableFuture<Long> finished() {
        return finished;
    }

    /** Snapshots taken so far. */
    public long samples() {
        return samples;
    }

    /** One sample handed to every sink; never throws. */
    synchronized void tick() {
        if (finished.isDone()) {
            return;
        }
        try {
            MonitorSnapshot snapshot = sampler.sample();
            for (SnapshotSink sink : sinks) {
                deliver(sink, snapshot);
            }
        } catch (RuntimeException | LinkageError e) {
            problems.accept("dlstation monitor: sampling failed: " + (e.getMessage() == null ? "no detail" : e.getMessage()));
        }
        samples++;
        if (maxSamples > 0 && samples >= maxSamples) {
            stop();
        }
    }

    private void deliver(SnapshotSink sink, MonitorSnapshot snapshot) {
        try {
            sink.accept(snapshot);
            lastProblem.remove(sink);
        } catch (RuntimeException | LinkageError e) {
            String message = String.valueOf(e.getMessage());
            if (!message.equals(lastProblem.put(sink, message))) {
                problems.accept("dlstation monitor: " + sink.describe() + " failed: " + message
                        + " (sampling goes on; repeats of this message are not shown)");
            }
        }
    }

    private void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        finished.complete(samples);
    }

    /** Stops sampling and closes every sink; a sink that fails to close is reported. */
    @Override
    public synchronized void close() {
        stop();
        for (SnapshotSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                problems.accept("dlstation monitor: closing " + sink.describe() + " failed: " + e.getMessage());
            }
        }
    }
}
