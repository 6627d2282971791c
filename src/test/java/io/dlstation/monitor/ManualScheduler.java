package io.dlstation.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose periodic tasks run only when the test calls {@link #tick()}, on the test's
 * thread: time-based code without sleeping.
 */
final class ManualScheduler extends ScheduledThreadPoolExecutor {
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<Task> futures = new ArrayList<>();
    long lastPeriodNanos;

    ManualScheduler() {
        super(0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        lastPeriodNanos = unit.toNanos(period);
        tasks.add(task);
        Task future = new Task();
        futures.add(future);
        return future;
    }

    /** Runs every task not cancelled, once. */
    void tick() {
        for (int i = 0; i < tasks.size(); i++) {
            if (!futures.get(i).isCancelled()) {
                tasks.get(i).run();
            }
        }
    }

    /** Whether every task was cancelled. */
    boolean allCancelled() {
        return !futures.isEmpty() && futures.stream().allMatch(Task::isCancelled);
    }

    private static final class Task implements ScheduledFuture<Object> {
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
