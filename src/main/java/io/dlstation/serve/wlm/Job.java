package io.dlstation.serve.wlm;

import io.dlstation.error.DlstationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request in the work-load manager: its input, how many samples it holds, its priority and
 * deadline, and the future its caller waits on. The future completes exactly once.
 *
 * <p>Design: a job is QUEUED until either a worker takes it (RUNNING) or its deadline passes
 * (EXPIRED), decided by one compare-and-set, so an expired request is never run and a running one is
 * never answered 504. A job taken out of the queue any other way (the model unloads) is CANCELLED.
 */
final class Job<I, O> {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int EXPIRED = 2;
    private static final int CANCELLED = 3;

    final I input;
    final int size;
    final Priority priority;
    final long enqueuedNanos;
    final long deadlineNanos;
    final CompletableFuture<O> result = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private volatile Future<?> timer;

    Job(I input, int size, Priority priority, long enqueuedNanos, long deadlineNanos) {
        this.input = input;
        this.size = size;
        this.priority = priority;
        this.enqueuedNanos = enqueuedNanos;
        this.deadlineNanos = deadlineNanos;
    }

    boolean isQueued() {
        return state.get() == QUEUED;
    }

    /** Takes the job for a batch; false if it expired or was cancelled first. */
    boolean start() {
        if (state.compareAndSet(QUEUED, RUNNING)) {
            cancelTimer();
            return true;
        }
        return false;
    }

    /** Marks the job expired; false if a worker took it first (or it is already out of the queue). */
    boolean expire() {
        return state.compareAndSet(QUEUED, EXPIRED);
    }

    /** Takes the job out of the queue without running it; false if it already left. */
    boolean cancel() {
        if (state.compareAndSet(QUEUED, CANCELLED)) {
            cancelTimer();
            return true;
        }
        return false;
    }

    void timer(Future<?> timer) {
        this.timer = timer;
        if (state.get() != QUEUED) {
            timer.cancel(false);
        }
    }

    private void cancelTimer() {
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    void fail(DlstationException error) {
        result.completeExceptionally(error);
    }
}
