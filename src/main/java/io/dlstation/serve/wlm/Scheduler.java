package io.dlstation.serve.wlm;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay; the queue uses it to answer a request at its deadline even while every
 * worker is busy. Tests inject one that runs tasks when they say.
 */
@FunctionalInterface
public interface Scheduler {
    /** Runs {@code task} after {@code delayNanos}; the returned future cancels it. */
    Future<?> schedule(Runnable task, long delayNanos);

    /**
     * A scheduler on one daemon thread; cancelled tasks leave its queue at once. The caller owns the
     * returned executor and shuts it down.
     */
    static ScheduledThreadPoolExecutor newExecutor(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name(name).daemon(true).factory());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** A scheduler over {@code executor}. */
    static Scheduler of(ScheduledThreadPoolExecutor executor) {
        return (task, delayNanos) -> executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
}
