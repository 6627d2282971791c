package io.dlstation.serve.wlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.testing.Await;
import io.dlstation.time.Scheduler;
import io.dlstation.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Workers over real threads with runners that need no engine: no sleeps, every future awaited. */
class ModelWorkersTest {
    /** How long any wait here may take before the test fails: a guard against hanging, not a timing. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    private final List<Boolean> closed = Collections.synchronizedList(new ArrayList<>());
    /** The names of the threads each runner ran on, warm-up included. */
    private final Map<BatchRunner<?, ?>, Set<String>> ranOn = new ConcurrentHashMap<>();

    /** Doubles each input; fails a batch holding a negative one; OOM above {@code fitting} samples. */
    private final class Doubler implements BatchRunner<Integer, Integer> {
        private final int fitting;
        private final CountDownLatch gate;

        Doubler(int fitting, CountDownLatch gate) {
            this.fitting = fitting;
            this.gate = gate;
        }

        @Override
        public List<Integer> run(List<Integer> inputs) throws Exception {
            ranOn.computeIfAbsent(this, r -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
            batchSizes.add(inputs.size());
            Await.open(gate, PATIENCE, "the test to let the batch run");
            if (inputs.size() > fitting) {
                throw new IllegalStateException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0)");
            }
            if (inputs.stream().anyMatch(i -> i < 0)) {
                throw new RuntimeException("ai.djl.engine.EngineException: The following operation failed in the "
                        + "TorchScript interpreter.\n  File \"code/__torch__.py\"\nRuntimeError: negative input");
            }
            return inputs.stream().map(i -> i * 2).toList();
        }

        @Override
        public void close() {
            closed.add(true);
        }
    }

    /** The out-of-memory failures here: what {@link Doubler} throws for a batch that does not fit. */
    private static boolean outOfMemory(Throwable e) {
        return e.getMessage() != null && e.getMessage().startsWith("CUDA out of memory");
    }

    private BatchingQueue<Integer, Integer> queue(int maxBatch, Duration delay) {
        Scheduler timers = (task, nanos) -> new CompletableFuture<Void>(); // deadlines are not under test here
        return new BatchingQueue<>("m", new BatchingPolicy(maxBatch, delay, List.of(), 1000, Duration.ofSeconds(60)),
                Ticker.system(), timers, WorkloadListener.NONE);
    }

    private ModelWorkers<Integer, Integer> workers(BatchingQueue<Integer, Integer> queue, int count, int fitting,
            CountDownLatch gate) {
        return workers(queue, count, fitting, gate, task -> Thread.ofVirtual().start(task));
    }

    private ModelWorkers<Integer, Integer> workers(BatchingQueue<Integer, Integer> queue, int count, int fitting,
            CountDownLatch gate, Executor answers) {
        List<Doubler> runners = IntStream.range(0, count).mapToObj(i -> new Doubler(fitting, gate)).toList();
        return new ModelWorkers<>("m", queue, runners, Thread.ofPlatform().name("worker-", 0).factory(), answers,
                ModelWorkersTest::outOfMemory, Ticker.system(), WorkloadListener.NONE);
    }

    /** The answer, as {@link CompletableFuture#join} gives it, once it comes. */
    private static <T> T answer(CompletableFuture<T> future) {
        return Await.result(future, PATIENCE, "an answer from the workers");
    }

    private static ErrorCode codeOf(CompletableFuture<?> future) {
        try {
            answer(future);
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return ((DlstationException) e.getCause()).code();
        }
    }

    @ParameterizedTest(name = "{0} workers, max batch {1}, failing every {2}th request")
    @CsvSource({"1, 1, 0", "1, 8, 0", "2, 8, 0", "1, 8, 5", "2, 4, 3", "4, 32, 7"})
    void everyRequestGetsExactlyItsOwnAnswer(int count, int maxBatch, int failEvery) throws Exception {
        BatchingQueue<Integer, Integer> queue = queue(maxBatch, Duration.ZERO);
        ModelWorkers<Integer, Integer> workers = workers(queue, count, Integer.MAX_VALUE, new CountDownLatch(0));
        workers.start();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            int input = failEvery > 0 && i % failEvery == 0 ? -i : i;
            futures.add(queue.submit(input, 1, Priority.NORMAL, null));
        }
        for (int i = 1; i <= 200; i++) {
            CompletableFuture<Integer> f = futures.get(i - 1);
            if (!f.isCompletedExceptionally() && answer(f.handle((v, e) -> e == null))) {
                assertThat(f.join()).isEqualTo(2 * i);
            } else {
                assertThat(codeOf(f)).isEqualTo(ErrorCode.INTERNAL);
                assertThat(f.handle((v, e) -> e.getMessage()).join())
                        .startsWith("model 'm' failed on a batch").endsWith(": negative input")
                        .doesNotContain("ai.djl").doesNotContain("Exception");
            }
        }
        workers.close();
        assertThat(closed).hasSize(count);
        assertThat(batchSizes).allMatch(n -> n >= 1 && n <= maxBatch);
    }

    @Test
    void aBatchThatFailsFailsAllItsRequestsAndTheWorkerGoesOn() throws Exception {
        BatchingQueue<Integer, Integer> queue = queue(4, Duration.ofHours(1));
        ModelWorkers<Integer, Integer> workers = workers(queue, 1, Integer.MAX_VALUE, new CountDownLatch(0));
        List<CompletableFuture<Integer>> bad = List.of(1, -2, 3, 4).stream()
                .map(i -> queue.submit(i, 1, Priority.NORMAL, null)).toList();
        workers.start();
        bad.forEach(f -> assertThat(codeOf(f)).isEqualTo(ErrorCode.INTERNAL));

        List<CompletableFuture<Integer>> good = List.of(5, 6, 7, 8).stream()
                .map(i -> queue.submit(i, 1, Priority.NORMAL, null)).toList();
        assertThat(good.stream().map(ModelWorkersTest::answer)).containsExactly(10, 12, 14, 16);
        workers.close();
    }

    @Test
    void anOutOfMemoryBatchIsRetriedAsTwoHalves() throws Exception {
        BatchingQueue<Integer, Integer> queue = queue(8, Duration.ofHours(1));
        ModelWorkers<Integer, Integer> workers = workers(queue, 1, 2, new CountDownLatch(0));
        List<CompletableFuture<Integer>> futures = IntStream.rangeClosed(1, 8)
                .mapToObj(i -> queue.submit(i, 1, Priority.NORMAL, null)).toList();
        workers.start();

        assertThat(futures.stream().map(ModelWorkersTest::answer)).containsExactly(2, 4, 6, 8, 10, 12, 14, 16);
        assertThat(batchSizes).containsExactly(8, 4, 2, 2, 4, 2, 2);
        workers.close();
    }

    @Test
    void aSingleRequestThatDoesNotFitFailsWithOutOfMemory() throws Exception {
        BatchingQueue<Integer, Integer> queue = queue(8, Duration.ZERO);
        ModelWorkers<Integer, Integer> workers = workers(queue, 1, 0, new CountDownLatch(0));
        workers.start();
        CompletableFuture<Integer> f = queue.submit(1, 1, Priority.NORMAL, null);

        assertThat(codeOf(f)).isEqualTo(ErrorCode.OUT_OF_MEMORY);
        assertThatThrownBy(f::join).hasMessageContaining("tried to allocate 2.00 GiB")
                .hasMessageContaining("max_batch_size");
        workers.close();
    }

    @Test
    void drainingRunsWhatIsQueuedAndInFlightAndRefusesNewRequests() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        BatchingQueue<Integer, Integer> queue = queue(1, Duration.ZERO);
        ModelWorkers<Integer, Integer> workers = workers(queue, 1, Integer.MAX_VALUE, gate);
        workers.start();
        List<CompletableFuture<Integer>> accepted = IntStream.rangeClosed(1, 4)
                .mapToObj(i -> queue.submit(i, 1, Priority.NORMAL, null)).toList();
        AtomicBoolean inTime = new AtomicBoolean();
        Thread drainer = Thread.ofPlatform().start(() -> {
            try {
                inTime.set(workers.drain(Duration.ofMinutes(5), "the server is stopping"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Await.until(() -> {
            CompletableFuture<Integer> refused = queue.submit(9, 1, Priority.NORMAL, null);
            return refused.isCompletedExceptionally() && codeOf(refused) == ErrorCode.UNAVAILABLE;
        }, PATIENCE, "the draining queue to refuse a request");

        gate.countDown();
        Await.ended(drainer, PATIENCE, "the drain");

        assertThat(inTime).isTrue();
        assertThat(accepted.stream().map(ModelWorkersTest::answer)).containsExactly(2, 4, 6, 8);
        assertThat(closed).hasSize(1);
    }

    @Test
    void whenTheDrainTimeRunsOutQueuedRequestsFailAndTheRunningBatchStillFinishes() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        BatchingQueue<Integer, Integer> queue = queue(1, Duration.ZERO);
        ModelWorkers<Integer, Integer> workers = workers(queue, 1, Integer.MAX_VALUE, gate);
        workers.start();
        CompletableFuture<Integer> running = queue.submit(1, 1, Priority.NORMAL, null);
        Await.until(() -> workers.inFlight() > 0, PATIENCE, "the first batch to start");
        CompletableFuture<Integer> queued = queue.submit(2, 1, Priority.NORMAL, null);
        Thread drainer = Thread.ofPlatform().start(() -> {
            try {
                workers.drain(Duration.ZERO, "model 'm' is unloading");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThat(codeOf(queued)).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThatThrownBy(queued::join).hasMessageContaining("model 'm' is unloading");
        assertThat(running).isNotDone();
        gate.countDown();
        Await.ended(drainer, PATIENCE, "the drain");
        assertThat(answer(running)).isEqualTo(2);
    }

    @Test
    void aLoneRequestIsAnsweredOnTheWorkerThread() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        BatchingQueue<Integer, Integer> queue = queue(4, Duration.ZERO);
        ModelWorkers<Integer, Integer> workers = workers(queue, 1, Integer.MAX_VALUE, gate,
                task -> {
                    throw new AssertionError("a batch of one needs no other thread");
                });
        workers.start();
        CompletableFuture<String> answeredOn = queue.submit(21, 1, Priority.NORMAL, null)
                .thenApply(v -> v + " on " + Thread.currentThread().getName());
        gate.countDown();

        assertThat(answer(answeredOn)).isEqualTo("42 on worker-0");
        workers.close();
    }

    @Test
    void aBatchOfSeveralIsAnsweredThroughTheExecutorInOneHandOffAndDrainingWaitsForIt() throws Exception {
        LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        BatchingQueue<Integer, Integer> queue = queue(3, Duration.ofHours(1));
        ModelWorkers<Integer, Integer> workers = workers(queue, 1, Integer.MAX_VALUE, new CountDownLatch(0), tasks::add);
        List<CompletableFuture<String>> answers = IntStream.rangeClosed(1, 3).mapToObj(i -> queue.submit(i, 1,
                Priority.NORMAL, null).thenApply(v -> v + " on " + Thread.currentThread().getName())).toList();
        workers.start();

        Runnable handOff = Await.next(tasks, PATIENCE, "the hand-off of the batch's answers");
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        Thread drainer = Thread.ofPlatform().start(() -> {
            try {
                workers.drain(Duration.ofMinutes(1), "stopping");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(drainer.join(Duration.ofMillis(200))).as("the drain waits for the answers").isFalse();
        handOff.run();
        assertThat(tasks).hasSize(3);
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        String me = Thread.currentThread().getName();
        while (!tasks.isEmpty()) {
            tasks.remove().run();
        }

        Await.ended(drainer, PATIENCE, "the drain");
        assertThat(answers.stream().map(ModelWorkersTest::answer))
                .containsExactly("2 on " + me, "4 on " + me, "6 on " + me);
    }

    @Test
    void eachWorkerWarmsUpOnTheThreadThatRunsItsBatchesAndStartWaitsForEveryWarmUp() throws Exception {
        CountDownLatch warmUpGate = new CountDownLatch(1);
        BatchingQueue<Integer, Integer> queue = queue(1, Duration.ZERO);
        ModelWorkers<Integer, Integer> workers = workers(queue, 3, Integer.MAX_VALUE, new CountDownLatch(0));
        List<String> warmedOn = Collections.synchronizedList(new ArrayList<>());
        Thread starter = Thread.ofPlatform().start(() -> {
            try {
                workers.start(runner -> {
                    Await.open(warmUpGate, PATIENCE, "the test to let the warm-ups run");
                    runner.run(List.of(0));
                    warmedOn.add(Thread.currentThread().getName());
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(starter.join(Duration.ofMillis(200))).as("start waits for the warm-ups").isFalse();
        warmUpGate.countDown();
        Await.ended(starter, PATIENCE, "the start");
        assertThat(warmedOn).containsExactlyInAnyOrder("worker-0", "worker-1", "worker-2");

        List<CompletableFuture<Integer>> futures = IntStream.rangeClosed(1, 60)
                .mapToObj(i -> queue.submit(i, 1, Priority.NORMAL, null)).toList();
        assertThat(futures.stream().map(ModelWorkersTest::answer)).hasSize(60);
        workers.close();
        assertThat(batchSizes).hasSize(63);
        assertThat(ranOn).hasSize(3);
        assertThat(ranOn.values()).as("each runner ran on one thread only").allMatch(threads -> threads.size() == 1);
    }

    @Test
    void aFailedWarmUpStopsEveryWorkerAndIsThrownFromStart() throws Exception {
        BatchingQueue<Integer, Integer> queue = queue(4, Duration.ZERO);
        ModelWorkers<Integer, Integer> workers = workers(queue, 3, Integer.MAX_VALUE, new CountDownLatch(0));
        AtomicInteger warmUps = new AtomicInteger();

        assertThatThrownBy(() -> workers.start(runner -> {
            if (warmUps.incrementAndGet() == 2) {
                throw new IllegalStateException("CUDA error: an illegal memory access was encountered");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("illegal memory access");

        assertThat(warmUps).hasValue(3);
        assertThat(closed).as("every worker closed its runner").hasSize(3);
        assertThat(codeOf(queue.submit(1, 1, Priority.NORMAL, null))).isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
