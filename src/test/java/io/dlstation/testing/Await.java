package io.dlstation.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits in tests that end at a deadline: each fails with an {@link AssertionError} naming what it
 * waited for instead of hanging the build. The deadline guards against a defect; it is not a timing,
 * so choose one far above what the wait takes on a slow, shared machine.
 */
public final class Await {
    /** Between two looks at a condition: short enough to add nothing, long enough to let other threads run. */
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private Await() {}

    /** Returns once {@code condition} holds; fails when it still does not after {@code limit}. */
    public static void until(BooleanSupplier condition, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("still waiting after " + limit + " for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    /**
     * The result of {@code future}, as {@link java.util.concurrent.CompletableFuture#join} gives it (a
     * failure is thrown as a {@link CompletionException} around its cause); fails when it has not
     * completed after {@code limit}.
     */
    public static <T> T result(Future<T> future, Duration limit, String what) {
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CompletionException c ? c : new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no result after " + limit + " for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    /** Returns once {@code thread} has ended; fails when it is still alive after {@code limit}. */
    public static void ended(Thread thread, Duration limit, String what) {
        try {
            if (!thread.join(limit)) {
                throw new AssertionError("still running after " + limit + ": " + what + " (" + thread + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    /** Returns once {@code latch} is open; fails when it is still closed after {@code limit}. */
    public static void open(CountDownLatch latch, Duration limit, String what) {
        try {
            if (!latch.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("still waiting after " + limit + " for " + what + " (" + latch.getCount()
                        + " to go)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    /** Takes the head of {@code queue}; fails when nothing arrives within {@code limit}. */
    public static <T> T next(BlockingQueue<T> queue, Duration limit, String what) {
        try {
            T item = queue.poll(limit.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new AssertionError("nothing arrived within " + limit + ": " + what);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }
}
