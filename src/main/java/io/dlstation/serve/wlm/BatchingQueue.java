package io.dlstation.serve.wlm;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.time.Scheduler;
import io.dlstation.time.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One model's bounded request queue and the batch formation over it.
 *
 * <p>Design: two FIFO deques (high and normal priority) under one lock. {@link #submit} never blocks:
 * a full queue fails the returned future at once. Workers call {@link #nextBatch}, which takes the
 * queued requests in priority order while they fit in {@code maxBatchSize} samples and then:
 * <ul>
 *   <li>runs them at once when the batch is full, or when a prefix of them makes a preferred batch
 *       size (the largest such prefix, as Triton does);
 *   <li>else waits until the oldest of them has waited {@code maxDelay} (the delay is counted from the
 *       request's arrival, so time spent queued behind a running batch counts), or until more arrive;
 *   <li>runs what is there without waiting once the queue stops accepting (drain, unload).
 * </ul>
 * Each request has a deadline; one that passes while it is queued is answered {@code TIMEOUT} by a
 * timer (or by the batcher, whichever sees it first) and never runs. Requests that leave the queue
 * that way stay in the deques until the batcher walks past them; {@code live} counts the others.
 *
 * <p>Futures are completed outside the lock.
 */
public final class BatchingQueue<I, O> {
    private final String model;
    private final BatchingPolicy policy;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final WorkloadListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** @GuardedBy("lock") */
    private final ArrayDeque<Job<I, O>> high = new ArrayDeque<>();
    /** @GuardedBy("lock") */
    private final ArrayDeque<Job<I, O>> normal = new ArrayDeque<>();
    /** @GuardedBy("lock"): queued requests that can still run. */
    private int live;
    /** @GuardedBy("lock") */
    private boolean accepting = true;
    /** @GuardedBy("lock"): why submissions are refused once not accepting. */
    private String refusal = "";

    public BatchingQueue(String model, BatchingPolicy policy, Ticker ticker, Scheduler scheduler,
            WorkloadListener listener) {
        this.model = model;
        this.policy = policy;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.listener = listener == null ? WorkloadListener.NONE : listener;
    }

    /** The policy this queue batches by. */
    public BatchingPolicy policy() {
        return policy;
    }

    /**
     * Queues one request of {@code size} samples. Never blocks: the future fails at once with
     * {@link ErrorCode#QUEUE_FULL} when the queue is full, {@link ErrorCode#UNAVAILABLE} when it no
     * longer accepts, {@link ErrorCode#BAD_INPUT} when the request is larger than a batch.
     *
     * @param timeout how long the request may stay queued; null for the policy's default
     */
    public CompletableFuture<O> submit(I input, int size, Priority priority, Duration timeout) {
        if (size < 1 || size > policy.maxBatchSize()) {
            return CompletableFuture.failedFuture(DlstationException.badInput("model '" + model + "' takes 1 to "
                    + policy.maxBatchSize() + " samples per request (its max_batch_size); this request has " + size));
        }
        long now = ticker.read();
        long wait = (timeout == null ? policy.defaultTimeout() : timeout).toNanos();
        Job<I, O> job = new Job<>(input, size, priority == null ? Priority.NORMAL : priority, now,
                saturatedAdd(now, wait));
        lock.lock();
        try {
            if (!accepting) {
                return CompletableFuture.failedFuture(new DlstationException(ErrorCode.UNAVAILABLE, refusal));
            }
            if (live >= policy.queueCapacity()) {
                return CompletableFuture.failedFuture(new DlstationException(ErrorCode.QUEUE_FULL, "model '" + model
                        + "' has " + live + " requests queued (its queue_size); retry later"));
            }
            (job.priority == Priority.HIGH ? high : normal).addLast(job);
            live++;
            changed.signal();
        } finally {
            lock.unlock();
        }
        job.timer(scheduler.schedule(() -> expire(job), Math.max(0, wait)));
        return job.result;
    }

    /** Requests queued and not yet taken. */
    public int depth() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses new requests from now on with {@link ErrorCode#UNAVAILABLE} and {@code reason}; queued ones
     * still run, at once, without waiting for the batch delay.
     */
    public void stopAccepting(String reason) {
        lock.lock();
        try {
            if (accepting) {
                accepting = false;
                refusal = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Fails every queued request with {@code error} and returns how many there were. */
    public int failQueued(DlstationException error) {
        List<Job<I, O>> failed = new ArrayList<>();
        lock.lock();
        try {
            for (ArrayDeque<Job<I, O>> deque : List.of(high, normal)) {
                for (Job<I, O> job : deque) {
                    if (job.cancel()) {
                        failed.add(job);
                    }
                }
                deque.clear();
            }
            live = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        failed.forEach(job -> job.fail(error));
        return failed.size();
    }

    /**
     * The next batch, waiting as the policy says; null once the queue stops accepting and is empty.
     * The returned jobs are RUNNING: the caller must complete each one.
     */
    List<Job<I, O>> nextBatch() throws InterruptedException {
        List<Job<I, O>> expired = new ArrayList<>();
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = ticker.read();
                Decision<I, O> decision = decide(now, expired);
                if (!expired.isEmpty()) {
                    lock.unlock();
                    try {
                        failExpired(expired);
                        expired.clear();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                if (decision.batch() != null) {
                    if (live > 0) {
                        changed.signal(); // another worker may form the next batch meanwhile
                    }
                    return decision.batch();
                }
                if (!accepting && live == 0) {
                    return null;
                }
                if (decision.waitNanos() == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(decision.waitNanos());
                }
            }
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    /** What {@link #nextBatch} would do now, without waiting: a batch, or how long to wait. For tests. */
    Decision<I, O> poll() {
        List<Job<I, O>> expired = new ArrayList<>();
        while (true) {
            Decision<I, O> decision;
            lock.lock();
            try {
                decision = decide(ticker.read(), expired);
            } finally {
                lock.unlock();
            }
            if (expired.isEmpty()) {
                return decision;
            }
            failExpired(expired);
            expired.clear();
        }
    }

    /** A batch to run now (wait ignored), or none and how long to wait (MAX_VALUE: until a change). */
    record Decision<I, O>(List<Job<I, O>> batch, long waitNanos) {}

    /** @GuardedBy("lock") */
    private Decision<I, O> decide(long now, List<Job<I, O>> expired) {
        int count = 0;
        int samples = 0;
        int preferredCount = 0;
        boolean full = false;
        long oldest = Long.MAX_VALUE;
        long earliestDeadline = Long.MAX_VALUE;
        outer:
        for (ArrayDeque<Job<I, O>> deque : List.of(high, normal)) {
            for (Iterator<Job<I, O>> it = deque.iterator(); it.hasNext();) {
                Job<I, O> job = it.next();
                if (!job.isQueued()) {
                    it.remove(); // expired by its timer or cancelled: already answered
                    continue;
                }
                if (job.deadlineNanos - now <= 0 && job.expire()) {
                    it.remove();
                    live--;
                    expired.add(job);
                    continue;
                }
                if (samples + job.size > policy.maxBatchSize()) {
                    full = true;
                    break outer;
                }
                count++;
                samples += job.size;
                oldest = Math.min(oldest, job.enqueuedNanos);
                earliestDeadline = Math.min(earliestDeadline, job.deadlineNanos);
                if (policy.preferredBatchSizes().contains(samples)) {
                    preferredCount = count;
                }
                if (samples == policy.maxBatchSize()) {
                    full = true;
                    break outer;
                }
            }
        }
        if (count == 0 || !expired.isEmpty()) {
            return new Decision<>(null, Long.MAX_VALUE);
        }
        long delayLeft = saturatedAdd(oldest, policy.maxDelay().toNanos()) - now;
        if (full || !accepting || delayLeft <= 0) {
            return new Decision<>(take(count, now), 0);
        }
        if (preferredCount > 0) {
            return new Decision<>(take(preferredCount, now), 0);
        }
        return new Decision<>(null, Math.max(1, Math.min(delayLeft, earliestDeadline - now)));
    }

    /**
     * @GuardedBy("lock"): the first {@code count} queued jobs, which decide() left at the deques' heads.
     * Every state change of a queued job happens under the lock, so none can expire in between.
     */
    private List<Job<I, O>> take(int count, long now) {
        List<Job<I, O>> batch = new ArrayList<>(count);
        while (batch.size() < count) {
            Job<I, O> job = high.isEmpty() ? normal.pollFirst() : high.pollFirst();
            if (!job.start()) {
                throw new IllegalStateException("a queued job changed state outside the lock");
            }
            batch.add(job);
            live--;
            listener.dequeued(now - job.enqueuedNanos);
        }
        return batch;
    }

    private void expire(Job<I, O> job) {
        lock.lock();
        try {
            if (!job.expire()) {
                return;
            }
            live--;
            changed.signal();
        } finally {
            lock.unlock();
        }
        failExpired(List.of(job));
    }

    private void failExpired(List<Job<I, O>> jobs) {
        for (Job<I, O> job : jobs) {
            listener.expired();
            job.fail(new DlstationException(ErrorCode.TIMEOUT, "request to model '" + model + "' waited "
                    + TimeUnit.NANOSECONDS.toMillis(job.deadlineNanos - job.enqueuedNanos)
                    + " ms in the queue (its timeout) and was not run"));
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
