package io.dlstation.maintain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler for tests: what is scheduled only runs when the test calls {@link #runNext()}, on the test's
 * thread; the delays asked for are kept so the test can check them and move its clock.
 */
final class SteppingExecutor extends ScheduledThreadPoolExecutor {
    /** A pending task and the delay it was scheduled with. */
    record Pending(Runnable task, long delayMillis) {}

    private final List<Pending> pending = new ArrayList<>();

    SteppingExecutor() {
        super(0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        pending.add(new Pending(command, unit.toMillis(delay)));
        return new Future();
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not used by the code under test");
    }

    /** The pending tasks, in the order they were scheduled. */
    List<Pending> pending() {
        return List.copyOf(pending);
    }

    /** Runs the pending task with the shortest delay and returns its delay. */
    long runNext() {
        Pending next = pending.stream().min(Comparator.comparingLong(Pending::delayMillis)).orElseThrow();
        pending.remove(next);
        next.task().run();
        return next.delayMillis();
    }

    private static final class Future implements ScheduledFuture<Object> {
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
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return false;
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
