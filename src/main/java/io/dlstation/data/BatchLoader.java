package io.dlstation.data;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.time.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One epoch of batches from an {@link ImageDataset}, assembled by worker threads ahead of the caller
 * and handed out in order.
 *
 * <p>What comes out depends only on the arguments, never on the threads: the order of epoch {@code e}
 * is a permutation drawn from (seed, e) alone, and the augmentation of a sample from (seed, e, index)
 * alone. So 1 and 16 workers give the same batches, and a loader started at {@code startBatch = k}
 * gives exactly batches {@code k, k+1, ...} of an uninterrupted epoch, which is how training resumes
 * in the middle of one.
 *
 * <p>Design: a fixed set of daemon platform threads; each takes one of {@code prefetch} permits,
 * claims the next batch number from a counter, assembles the whole batch straight into its arrays and
 * puts it in slot {@code batch % prefetch} of a ring. {@link #next()} waits for its slot, empties it
 * and returns a permit. Claims are made in order and permits bound what is claimed but not yet taken,
 * so the batches in flight are a run of at most {@code prefetch} consecutive numbers (distinct slots),
 * and the batch {@code next()} waits for is always being assembled by a live worker. A failure is
 * kept in its batch's slot and thrown by {@code next()} when the caller reaches that batch (the earlier
 * batches still come out); workers stop claiming after it. {@link #close()} wakes and interrupts
 * everyone; workers also look for it between samples.
 */
public final class BatchLoader implements AutoCloseable {
    private static final long ORDER_STREAM = 0x6F726465L;
    private static final long AUGMENT_STREAM = 0x6175676DL;
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final ImageDataset dataset;
    private final int batchSize;
    private final int sampleBytes;
    private final int classCount;
    private final long seed;
    private final int epoch;
    private final boolean augment;
    private final int[] order; // null: dataset order
    private final int endBatch;
    private final int prefetch;
    private final Semaphore permits;
    private final AtomicInteger nextClaim;
    private final List<Thread> workers = new ArrayList<>();
    private final BlockingQueue<HostBatch> spare;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Ticker ticker;
    /** Guarded by {@code lock}: a HostBatch or a Failure per batch in flight, at batch % prefetch. */
    private final Object[] ring;
    private volatile boolean closed;
    private volatile boolean failed;
    // the caller's thread only
    private int current;
    private DlstationException failure;
    private volatile long waitNanos;

    /** A batch that could not be made: the sample being read and what went wrong. */
    private record Failure(int batch, int index, Throwable cause) {}

    /** Thrown inside a worker to abandon its batch when the loader is closed. */
    private static final class Closed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Closed() {
            super(null, null, false, false);
        }
    }

    /**
     * Starts the workers.
     *
     * @param batchSize samples per batch (the last one may be smaller unless {@code dropLast})
     * @param shuffle false: dataset order every epoch
     * @param dropLast leave out a last batch smaller than {@code batchSize}
     * @param epoch which epoch: with {@code seed}, fixes the order and the augmentation
     * @param startBatch the first batch to make, from 0 to {@link #batchesPerEpoch} (nothing left)
     * @param workers threads assembling batches, at least 1
     * @param prefetch batches made ahead of the caller, at least 1; at least {@code workers} keeps every
     *     worker busy ({@code 2 * workers} is a good choice)
     * @param augment the dataset's training transform (true) or evaluation transform (false)
     */
    public BatchLoader(ImageDataset dataset, int batchSize, boolean shuffle, boolean dropLast, long seed, int epoch,
            int startBatch, int workers, int prefetch, boolean augment) {
        this(dataset, batchSize, shuffle, dropLast, seed, epoch, startBatch, workers, prefetch, augment,
                Ticker.system());
    }

    /**
     * Starts the workers, as the constructor above; {@code ticker} measures {@link #waitNanos()}.
     */
    public BatchLoader(ImageDataset dataset, int batchSize, boolean shuffle, boolean dropLast, long seed, int epoch,
            int startBatch, int workers, int prefetch, boolean augment, Ticker ticker) {
        if (batchSize < 1 || workers < 1 || prefetch < 1 || epoch < 0) {
            throw new IllegalArgumentException("batchSize, workers or prefetch < 1, or epoch < 0: "
                    + batchSize + ", " + workers + ", " + prefetch + ", " + epoch);
        }
        int batches = batchesPerEpoch(dataset.size(), batchSize, dropLast);
        if (startBatch < 0 || startBatch > batches) {
            throw new IllegalArgumentException("startBatch not in [0, " + batches + "]: " + startBatch);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.sampleBytes = Math.multiplyExact(Math.multiplyExact(dataset.height(), dataset.width()), 3);
        if ((long) sampleBytes * batchSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a batch of " + batchSize + " samples of " + sampleBytes
                    + " bytes does not fit one array");
        }
        this.classCount = dataset.classes().size();
        this.seed = seed;
        this.epoch = epoch;
        this.augment = augment;
        this.order = shuffle ? order(dataset.size(), seed, epoch) : null;
        this.endBatch = batches;
        this.prefetch = prefetch;
        this.permits = new Semaphore(prefetch);
        this.nextClaim = new AtomicInteger(startBatch);
        this.current = startBatch;
        this.ring = new Object[prefetch];
        this.spare = new ArrayBlockingQueue<>(prefetch + workers);
        this.ticker = ticker;
        if (startBatch < batches) {
            Thread.Builder builder = Thread.ofPlatform().daemon().name("dlstation-data-", 0);
            for (int i = 0; i < workers; i++) {
                this.workers.add(builder.unstarted(this::work));
            }
            this.workers.forEach(Thread::start);
        }
    }

    /** Batches in an epoch of {@code size} samples. */
    public static int batchesPerEpoch(int size, int batchSize, boolean dropLast) {
        if (size < 0 || batchSize < 1) {
            throw new IllegalArgumentException("size < 0 or batchSize < 1: " + size + ", " + batchSize);
        }
        return dropLast ? size / batchSize : (int) ((size + (long) batchSize - 1) / batchSize);
    }

    /** The permutation of dataset indices for epoch {@code epoch}: position -> index. */
    static int[] order(int size, long seed, int epoch) {
        return Seeds.permutation(size, new SplittableRandom(Seeds.mix(seed, ORDER_STREAM, epoch)));
    }

    /** The seed of sample {@code index}'s augmentation generator in epoch {@code epoch}. */
    static long augmentSeed(long seed, int epoch, int index) {
        return Seeds.mix(Seeds.mix(seed, AUGMENT_STREAM, epoch), index);
    }

    /** Whether a batch is left in this epoch (if it failed, {@link #next()} throws). */
    public boolean hasNext() {
        return current < endBatch;
    }

    /** The number in the epoch of the batch {@link #next()} returns next, e.g. for saving a resume point. */
    public int nextBatchNumber() {
        return current;
    }

    /** Batches in the whole epoch, including any before {@code startBatch}. */
    public int batchesInEpoch() {
        return endBatch;
    }

    /**
     * The next batch, waiting for it if the workers have not made it yet.
     *
     * @throws DlstationException a worker failed on this batch (its cause attached), or the wait was
     *     interrupted ({@link ErrorCode#UNAVAILABLE})
     * @throws NoSuchElementException no batch is left
     * @throws IllegalStateException the loader is closed
     */
    public HostBatch next() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("the batch loader is closed");
        }
        if (current >= endBatch) {
            throw new NoSuchElementException("no batch left: all " + endBatch + " batches of epoch " + epoch + " were taken");
        }
        Object item = take(current % prefetch);
        if (item instanceof Failure f) {
            failure = toException(f);
            throw failure;
        }
        current++;
        permits.release();
        return (HostBatch) item;
    }

    private Object take(int slot) {
        lock.lock();
        try {
            if (ring[slot] == null) {
                long start = ticker.read();
                try {
                    while (ring[slot] == null && !closed) {
                        arrived.await();
                    }
                } finally {
                    waitNanos += ticker.read() - start;
                }
            }
            Object item = ring[slot];
            if (item == null) {
                throw new IllegalStateException("the batch loader was closed while waiting for batch " + current);
            }
            ring[slot] = null;
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DlstationException(ErrorCode.UNAVAILABLE, "interrupted while waiting for batch " + current, e);
        } finally {
            lock.unlock();
        }
    }

    private DlstationException toException(Failure f) {
        String where = (f.index() < 0 ? "" : "sample " + f.index() + " of ") + "batch " + f.batch();
        if (f.cause() instanceof DlstationException d) {
            return new DlstationException(d.code(), d.getMessage() + " (" + where + ")", d);
        }
        return new DlstationException(ErrorCode.INTERNAL, "loading " + where + " failed: " + f.cause(), f.cause());
    }

    /** Nanoseconds {@link #next()} has spent waiting for batches not yet made: near 0 when loading keeps up. */
    public long waitNanos() {
        return waitNanos;
    }

    /**
     * Optionally hands a full batch's arrays back for reuse by a later batch of this loader, saving an
     * allocation; the caller must not touch {@code batch} afterwards. Batches of another size are ignored.
     */
    public void recycle(HostBatch batch) {
        if (batch.count() == batchSize && batch.pixels().length == batchSize * sampleBytes
                && batch.labels().length == batchSize) {
            spare.offer(batch);
        }
    }

    /** Stops the workers: each abandons its batch at the next sample (or at once when it is waiting). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        workers.forEach(Thread::interrupt);
        // real time, not the ticker: this bounds Thread.join, which waits in real time
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        boolean interrupted = false;
        for (Thread t : workers) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true; // daemon threads: give up waiting, keep the interrupt for the caller
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        try {
            while (true) {
                permits.acquire();
                int b = closed || failed ? endBatch : nextClaim.getAndIncrement();
                if (b >= endBatch) {
                    permits.release(); // lets the next waiting worker see the end too
                    return;
                }
                Object made;
                try {
                    made = assemble(b);
                } catch (Closed e) {
                    return;
                } catch (Throwable t) { // e.g. no memory for the batch's arrays
                    if (closed) {
                        return;
                    }
                    made = new Failure(b, -1, t);
                }
                if (made instanceof Failure) {
                    failed = true;
                }
                lock.lock();
                try {
                    ring[b % prefetch] = made;
                    arrived.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // closed while waiting for a permit
        }
    }

    /** Batch {@code b}, or the Failure of the sample that went wrong. */
    private Object assemble(int b) {
        int from = b * batchSize;
        int count = Math.min(batchSize, dataset.size() - from);
        HostBatch batch = count == batchSize ? spare.poll() : null;
        if (batch == null) {
            batch = new HostBatch(new byte[count * sampleBytes], new long[count], count, dataset.height(), dataset.width());
        }
        byte[] pixels = batch.pixels();
        long[] labels = batch.labels();
        for (int i = 0; i < count; i++) {
            if (closed) {
                throw new Closed();
            }
            int index = order == null ? from + i : order[from + i];
            try {
                SplittableRandom random = augment ? new SplittableRandom(augmentSeed(seed, epoch, index)) : null;
                int label = dataset.read(index, pixels, i * sampleBytes, random);
                if (label < 0 || label >= classCount) {
                    throw new IllegalStateException("label " + label + " out of range: the dataset has " + classCount + " classes");
                }
                labels[i] = label;
            } catch (Throwable t) {
                if (closed) {
                    throw new Closed();
                }
                return new Failure(b, index, t);
            }
        }
        return batch;
    }
}
