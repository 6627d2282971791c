package io.dlstation.testing;

import io.dlstation.testing.SteppingScheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler for tests: nothing runs until the test says so, on the test's thread, so time-based
 * code is tested without sleeping. Periodic tasks run on {@link #tick()}; one-shot tasks wait in
 * {@link #pending()} until {@link #runNext()}.
 */
public final class SteppingScheduler extends ScheduledThreadPoolExecutor {
    /** A one-shot task and the delay it was scheduled with. */
    public record Pending(Runnable task, long delayMillis) {}

    private final List<Runnable> periodic = new ArrayList<>();
    private final List<SteppedFuture> periodicFutures = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private long lastPeriodNanos;

    public SteppingScheduler() {
        super(0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        lastPeriodNanos = unit.toNanos(period);
        periodic.add(task);
        SteppedFuture future = new SteppedFuture();
        periodicFutures.add(future);
        return future;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        pending.add(new Pending(command, unit.toMillis(delay)));
        return new SteppedFuture();
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not used by the code under test");
    }

    /** Runs every periodic task that is not cancelled, once. */
    public void tick() {
        for (int i = 0; i < periodic.size(); i++) {
            if (!periodicFutures.get(i).isCancelled()) {
                periodic.get(i).run();
            }
        }
    }

    /** Whether every periodic task was cancelled (false when none was scheduled). */
    public boolean cancelled() {
        return !periodicFutures.isEmpty() && periodicFutures.stream().allMatch(SteppedFuture::isCancelled);
    }

    /** The period of the last periodic task scheduled, in nanoseconds. */
    public long lastPeriodNanos() {
        return lastPeriodNanos;
    }

    /** The one-shot tasks not run yet, in the order they were scheduled. */
    public List<Pending> pending() {
        return List.copyOf(pending);
    }

    /** Runs the one-shot task with the shortest delay and returns its delay. */
    public long runNext() {
        Pending next = pending.stream().min(Comparator.comparingLong(Pending::delayMillis)).orElseThrow();
        pending.remove(next);
        next.task().run();
        return next.delayMillis();
    }

    private static final class SteppedFuture implements ScheduledFuture<Object> {
        private volatile boolean cancelled;

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed o) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
