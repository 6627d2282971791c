package io.dlstation.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures memory start, end, peak and growth around a block of work.
 *
 * <p>Design: a probe is read at start and end on the caller's thread and, while the block runs, at a
 * fixed interval on an injected scheduler (so tests step it without sleeping). The peak is the
 * highest of all readings; a reading of -1 (unreadable) never becomes the peak. One profiler measures
 * one block: {@link #start()} once, then {@link #stop()} once.
 */
public final class MemoryProfiler {
    private final MemoryProbe probe;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final AtomicLong peak = new AtomicLong(-1);
    private final AtomicInteger samples = new AtomicInteger();
    private long start = -1;
    private ScheduledFuture<?> sampling;

    public MemoryProfiler(MemoryProbe probe, ScheduledExecutorService scheduler, Duration interval) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval <= 0: " + interval);
        }
        this.interval = interval;
    }

    /** Takes the start reading and begins sampling. */
    public synchronized MemoryProfiler start() {
        if (sampling != null) {
            throw new IllegalStateException("already started");
        }
        probe.resetAllocatorPeaks();
        start = sample();
        sampling = scheduler.scheduleAtFixedRate(this::sample, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /** Stops sampling and returns the profile, with a final reading as the end. */
    public synchronized MemoryProfile stop() {
        if (sampling == null) {
            throw new IllegalStateException("not started");
        }
        sampling.cancel(false);
        long end = sample();
        var counters = probe.allocatorCounters();
        return new MemoryProfile(start, end, peak.get(), samples.get(), probe.source(),
                counters.map(AllocatorCounters::peakAllocatedBytes).orElse(-1L),
                counters.map(AllocatorCounters::peakReservedBytes).orElse(-1L));
    }

    /** Runs {@code work} under a profiler and returns its result with the profile. */
    public static <T> Profiled<T> profile(MemoryProbe probe, ScheduledExecutorService scheduler, Duration interval,
            Callable<T> work) throws Exception {
        MemoryProfiler profiler = new MemoryProfiler(probe, scheduler, interval).start();
        T value;
        try {
            value = work.call();
        } catch (Exception | Error e) {
            profiler.stop();
            throw e;
        }
        return new Profiled<>(value, profiler.stop());
    }

    private long sample() {
        long used = probe.usedBytes();
        if (used >= 0) {
            samples.incrementAndGet();
            peak.accumulateAndGet(used, Math::max);
        }
        return used;
    }

    /** A result and the memory profile of the work that made it. */
    public record Profiled<T>(T value, MemoryProfile memory) {}
}
