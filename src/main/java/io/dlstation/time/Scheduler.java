package io.dlstation.time;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay, as Caffeine's {@code Scheduler}: time-based code (a request's
 * deadline, a back-off between tries) asks this instead of sleeping or owning a timer thread, so a
 * test can run the tasks when it moves time on.
 *
 * <p>Tasks may run on a thread the scheduler shares with others, so they must be short: complete a
 * future, count down a latch, hand off to an executor. Cancelling the returned future before the task
 * starts means it never runs. Delays are in the nanoseconds of a {@link Ticker}: the system schedulers
 * follow {@link Ticker#system()}, and a test's fake scheduler shares one clock with its fake ticker.
 *
 * <p>Implementations are safe for use from any thread.
 */
@FunctionalInterface
public interface Scheduler {
    /**
     * Runs {@code task} once after {@code delayNanos} (at once, or as soon as possible, when not
     * positive); the returned future cancels it.
     */
    Future<?> schedule(Runnable task, long delayNanos);

    /**
     * A scheduler on the JDK's shared timer thread ({@link CompletableFuture#delayedExecutor}), with
     * no thread of its own to start or stop; tasks then run in the common pool. Suits occasional waits
     * (a back-off); a cancelled task stays in the timer's queue until its time comes, so code that
     * schedules and cancels many should use {@link #newExecutor} instead.
     */
    static Scheduler system() {
        return (task, delayNanos) -> CompletableFuture.runAsync(task,
                CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS));
    }

    /**
     * An executor for {@link #of}: one daemon thread named {@code name}; cancelled tasks leave its
     * queue at once. The caller owns the returned executor and shuts it down.
     */
    static ScheduledThreadPoolExecutor newExecutor(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name(name).daemon(true).factory());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** A scheduler over {@code executor}, which its caller owns and shuts down. */
    static Scheduler of(ScheduledThreadPoolExecutor executor) {
        return (task, delayNanos) -> executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
}
