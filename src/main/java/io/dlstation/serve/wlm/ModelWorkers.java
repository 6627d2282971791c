package io.dlstation.serve.wlm;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Phaser;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The workers of one model: a thread per {@link BatchRunner}, each taking batches from the model's
 * {@link BatchingQueue} and completing every request of each batch.
 *
 * <p>Design: a worker owns its runner (and so its native resources) for its whole life and closes it
 * when it stops. A batch that fails fails each of its requests with the error; an out-of-memory
 * failure (as the injected {@code outOfMemory} tells it; the engine's recogniser when serving) is retried
 * as two halves (recursively) before the requests that still do not fit fail. A
 * worker that stops for any reason fails what it holds, so no request is left without an answer.
 * Draining stops the queue accepting, lets the workers run what is queued, and fails what is left
 * when the time is up.
 *
 * <p>Warm-up: each worker warms its own runner on its own thread before it takes its first batch, and
 * {@link #start(WarmUp)} returns once all have. The engine keeps some state per thread: PyTorch's
 * cuDNN execution plans are cached per thread and shape, and its CUDA allocator pools memory per
 * stream (each serving thread has its own). A warm-up on any other thread leaves the workers to build
 * that state under load, which held a fresh ResNet-50 server at 35 to 70 % of its rate for half a
 * minute.
 *
 * <p>Answers: the request of a batch of one is completed on the worker thread, so whatever waits on
 * it (the HTTP answer) goes on there at once instead of waking another thread, the costliest step of
 * a lone request's trip. A larger batch is handed to the {@code answers} executor in one piece, where
 * each request is completed in a task of its own: the worker returns to the queue after one hand-off
 * rather than one per request. Draining waits for those tasks too.
 */
public final class ModelWorkers<I, O> implements AutoCloseable {
    private final String model;
    private final BatchingQueue<I, O> queue;
    private final List<BatchRunner<I, O>> runners;
    private final ThreadFactory threads;
    private final Ticker ticker;
    private final WorkloadListener listener;
    private final Executor answers;
    private final Predicate<Throwable> outOfMemory;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** One party for the drain, one more per batch whose answers are being completed by {@link #answers}. */
    private final Phaser answering = new Phaser(1);

    /**
     * @param runners one per worker; each is closed by its worker when it stops
     * @param threads makes the worker threads (platform threads: they call native code)
     * @param answers completes the requests of batches of more than one, a task per request (e.g. a
     *     virtual thread each); never blocks
     * @param outOfMemory whether what a runner threw is the device running out of memory: such a batch is
     *     retried as two halves
     */
    public ModelWorkers(String model, BatchingQueue<I, O> queue, List<? extends BatchRunner<I, O>> runners,
            ThreadFactory threads, Executor answers, Predicate<Throwable> outOfMemory, Ticker ticker,
            WorkloadListener listener) {
        if (runners.isEmpty()) {
            throw new IllegalArgumentException("no runners for model " + model);
        }
        this.model = model;
        this.queue = queue;
        this.runners = List.copyOf(runners);
        this.threads = threads;
        this.answers = answers;
        this.outOfMemory = outOfMemory;
        this.ticker = ticker;
        this.listener = listener == null ? WorkloadListener.NONE : listener;
    }

    /** What a worker does with its runner, on its own thread, before its first batch. */
    @FunctionalInterface
    public interface WarmUp<I, O> {
        /** Prepares {@code runner} (runs a few batches through it); a failure stops every worker. */
        void accept(BatchRunner<I, O> runner) throws Exception;
    }

    /** Starts the workers with nothing to warm up. */
    public void start() throws InterruptedException {
        start(runner -> {});
    }

    /**
     * Starts the workers, each of which first passes its runner to {@code warmUp} on its own thread,
     * and returns once every warm-up has finished. When one fails, the workers are stopped (each
     * closes its runner) and its failure is thrown.
     */
    public synchronized void start(WarmUp<I, O> warmUp) throws InterruptedException {
        if (!workers.isEmpty()) {
            throw new IllegalStateException("workers of " + model + " already started");
        }
        CountDownLatch warmed = new CountDownLatch(runners.size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (BatchRunner<I, O> runner : runners) {
            Thread worker = threads.newThread(() -> {
                try {
                    warmUp.accept(runner);
                } catch (Exception | Error e) {
                    failure.compareAndSet(null, e);
                    runner.close();
                    return;
                } finally {
                    warmed.countDown();
                }
                work(runner);
            });
            workers.add(worker);
            worker.start();
        }
        boolean warm = false;
        try {
            warmed.await();
            warm = failure.get() == null;
        } finally {
            if (!warm) {
                close();
            }
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        } else if (e instanceof Error error) {
            throw error;
        } else if (e != null) {
            throw new IllegalStateException("model '" + model + "' failed to warm up: " + e.getMessage(), e);
        }
    }

    /** Requests in batches being run now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Stops accepting requests, runs what is queued, and waits up to {@code timeout} for the workers to
     * finish; requests still queued then are failed with {@link ErrorCode#UNAVAILABLE}. Batches already
     * running are never interrupted: this waits for them after the timeout.
     *
     * @param reason what refused requests are told
     * @return true if everything queued ran within the timeout
     */
    public boolean drain(Duration timeout, String reason) throws InterruptedException {
        queue.stopAccepting(reason);
        boolean inTime = joinAll(timeout);
        if (!inTime) {
            queue.failQueued(new DlstationException(ErrorCode.UNAVAILABLE, reason + "; the request was still queued "
                    + "when the drain time ran out"));
        }
        joinAll(null);
        answering.awaitAdvanceInterruptibly(answering.arrive());
        return inTime;
    }

    /** Drains without waiting for queued requests (they fail) and waits for running batches. */
    @Override
    public void close() throws InterruptedException {
        drain(Duration.ZERO, "model '" + model + "' is stopping");
    }

    private synchronized boolean joinAll(Duration timeout) throws InterruptedException {
        long end = timeout == null ? 0 : ticker.read() + timeout.toNanos();
        for (Thread worker : workers) {
            if (timeout == null) {
                worker.join();
            } else {
                long left = end - ticker.read();
                if (left <= 0 || !worker.join(Duration.ofNanos(left))) {
                    return !anyAlive();
                }
            }
        }
        return true;
    }

    private boolean anyAlive() {
        return workers.stream().anyMatch(Thread::isAlive);
    }

    private void work(BatchRunner<I, O> runner) {
        List<Job<I, O>> batch = null;
        try {
            while ((batch = queue.nextBatch()) != null) {
                int size = samples(batch);
                inFlight.addAndGet(batch.size());
                try {
                    execute(runner, batch, size);
                } finally {
                    inFlight.addAndGet(-batch.size());
                }
                batch = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            if (batch != null) {
                fail(batch, Failures.of(model, e, batch.size(), outOfMemory));
            }
            throw e;
        } finally {
            if (batch != null) {
                fail(batch, new DlstationException(ErrorCode.UNAVAILABLE, "model '" + model + "' stopped"));
            }
            runner.close();
        }
    }

    private void execute(BatchRunner<I, O> runner, List<Job<I, O>> jobs, int samples) {
        List<I> inputs = new ArrayList<>(jobs.size());
        for (Job<I, O> job : jobs) {
            inputs.add(job.input);
        }
        long start = ticker.read();
        List<O> outputs;
        try {
            outputs = runner.run(inputs);
            if (outputs == null || outputs.size() != jobs.size()) {
                throw new IllegalStateException("the runner answered " + (outputs == null ? "nothing" : outputs.size()
                        + " outputs") + " for " + jobs.size() + " requests");
            }
        } catch (Exception | Error e) {
            listener.batchRan(runner.device(), jobs.size(), samples, ticker.read() - start, false);
            if (jobs.size() > 1 && outOfMemory.test(e)) {
                int half = jobs.size() / 2;
                List<Job<I, O>> first = jobs.subList(0, half);
                List<Job<I, O>> second = jobs.subList(half, jobs.size());
                execute(runner, first, samples(first));
                execute(runner, second, samples(second));
                return;
            }
            fail(jobs, Failures.of(model, e, samples, outOfMemory));
            if (e instanceof VirtualMachineError error && !(e instanceof StackOverflowError)) {
                throw error; // the JVM itself is failing: let the worker die rather than limp on
            }
            return;
        }
        listener.batchRan(runner.device(), jobs.size(), samples, ticker.read() - start, true);
        answer(jobs, outputs);
    }

    private void answer(List<Job<I, O>> jobs, List<O> outputs) {
        if (jobs.size() == 1) {
            jobs.get(0).result.complete(outputs.get(0));
            return;
        }
        List<Job<I, O>> batch = List.copyOf(jobs);
        answering.register();
        AtomicInteger left = new AtomicInteger(batch.size());
        run(() -> {
            for (int i = 0; i < batch.size(); i++) {
                Job<I, O> job = batch.get(i);
                O output = outputs.get(i);
                run(() -> {
                    try {
                        job.result.complete(output);
                    } finally {
                        if (left.decrementAndGet() == 0) {
                            answering.arriveAndDeregister();
                        }
                    }
                });
            }
        });
    }

    /** Runs {@code task} on the answers executor, or here if it refuses. */
    private void run(Runnable task) {
        try {
            answers.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private static <I, O> int samples(List<Job<I, O>> jobs) {
        int n = 0;
        for (Job<I, O> job : jobs) {
            n += job.size;
        }
        return n;
    }

    private static <I, O> void fail(List<Job<I, O>> jobs, DlstationException error) {
        for (Job<I, O> job : jobs) {
            job.fail(error);
        }
    }
}
