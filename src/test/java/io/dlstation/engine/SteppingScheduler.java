package io.dlstation.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler for tests: periodic tasks run only when the test calls {@link #tick()}, on the test's
 * thread, so time-based code is tested without sleeping.
 */
final class SteppingScheduler extends ScheduledThreadPoolExecutor {
    private final List<Runnable> periodic = new ArrayList<>();
    private final List<SteppedFuture> futures = new ArrayList<>();

    SteppingScheduler() {
        super(0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        periodic.add(task);
        SteppedFuture future = new SteppedFuture();
        futures.add(future);
        return future;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not used by the code under test");
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not used by the code under test");
    }

    /** Runs every periodic task that is not cancelled, once. */
    void tick() {
        for (int i = 0; i < periodic.size(); i++) {
            if (!futures.get(i).isCancelled()) {
                periodic.get(i).run();
            }
        }
    }

    /** Whether every periodic task was cancelled. */
    boolean cancelled() {
        return !futures.isEmpty() && futures.stream().allMatch(SteppedFuture::isCancelled);
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
