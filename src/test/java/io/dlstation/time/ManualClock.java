package io.dlstation.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Time for tests, moved only by hand: one object that is a {@link Ticker}, a {@link Scheduler} whose
 * tasks run when time is moved past their due time, and a {@link Clock} (wall time in a zone), so code
 * under test is checked without sleeping.
 *
 * <p>{@link #advance} moves the ticker and the wall time together and then runs the tasks that came
 * due, in order of their due time, on the caller's thread (outside the lock: a task may schedule
 * another, which runs on a later advance). {@link #set} moves the wall time alone, as a clock set
 * forward or back would; the ticker, like {@link System#nanoTime()}, never goes back. The ticker
 * starts at one second rather than zero, so code that takes 0 for "unset" is not fooled.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class ManualClock extends Clock implements Ticker, Scheduler {
    private record Timer(long due, Runnable task, CompletableFuture<Void> handle) {}

    private final Object lock = new Object();
    private final ZoneId zone;
    /** @GuardedBy("lock") */
    private long nanos = 1_000_000_000L;
    /** @GuardedBy("lock") */
    private Instant now;
    /** @GuardedBy("lock") */
    private final List<Timer> timers = new ArrayList<>();

    /** Wall time at 2025-01-01T00:00:00Z, in UTC. */
    public ManualClock() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    /** Wall time at {@code start}, in UTC. */
    public ManualClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    /** Wall time at {@code start}, in {@code zone}. */
    public ManualClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    @Override
    public long read() {
        synchronized (lock) {
            return nanos;
        }
    }

    @Override
    public Instant instant() {
        synchronized (lock) {
            return now;
        }
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view of this clock's wall time in {@code zone}: it moves when this one does. */
    @Override
    public Clock withZone(ZoneId zone) {
        ManualClock source = this;
        return zone.equals(this.zone) ? this : new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return source.withZone(other);
            }

            @Override
            public Instant instant() {
                return source.instant();
            }
        };
    }

    @Override
    public Future<?> schedule(Runnable task, long delayNanos) {
        synchronized (lock) {
            Timer timer = new Timer(nanos + Math.max(0, delayNanos), task, new CompletableFuture<>());
            timers.add(timer);
            return timer.handle();
        }
    }

    /** Moves the ticker and the wall time on by {@code duration}, then runs the tasks that came due. */
    public void advance(Duration duration) {
        advanceNanos(duration.toNanos());
    }

    /** {@link #advance} by {@code millis}, which may have a fraction (rounded to the nanosecond). */
    public void advanceMillis(double millis) {
        advanceNanos(Math.round(millis * 1e6));
    }

    private void advanceNanos(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("time only moves on; use set(Instant) to move the wall time back: "
                    + delta + " ns");
        }
        List<Timer> due;
        synchronized (lock) {
            nanos += delta;
            now = now.plusNanos(delta);
            due = timers.stream().filter(t -> t.due() - nanos <= 0).sorted(Comparator.comparingLong(Timer::due))
                    .toList();
            timers.removeAll(due);
        }
        for (Timer t : due) {
            if (!t.handle().isCancelled()) {
                t.task().run();
                t.handle().complete(null);
            }
        }
    }

    /** Sets the wall time, forward or back; the ticker and the tasks stay where they are. */
    public void set(Instant instant) {
        synchronized (lock) {
            now = instant;
        }
    }

    /** Scheduled tasks neither run nor cancelled. */
    public long pendingTimers() {
        synchronized (lock) {
            return timers.stream().filter(t -> !t.handle().isCancelled()).count();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ManualClock[" + now + " " + zone + ", ticker " + nanos + " ns, " + timers.size() + " timers]";
        }
    }
}
