package io.dlstation.serve.wlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
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
            gate.await();
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
                Ticker.system(), WorkloadListener.NONE);
    }

    private static ErrorCode codeOf(CompletableFuture<?> future) {
        try {
            future.join();
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
            if (!f.isCompletedExceptionally() && f.handle((v, e) -> e == null).join()) {
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
        assertThat(good.stream().map(CompletableFuture::join)).containsExactly(10, 12, 14, 16);
        workers.close();
    }

    @Test
    void anOutOfMemoryBatchIsRetriedAsTwoHalves() throws Exception {
        BatchingQueue<Integer, Integer> queue = queue(8, Duration.ofHours(1));
        ModelWorkers<Integer, Integer> workers = workers(queue, 1, 2, new CountDownLatch(0));
        List<CompletableFuture<Integer>> futures = IntStream.rangeClosed(1, 8)
                .mapToObj(i -> queue.submit(i, 1, Priority.NORMAL, null)).toList();
        workers.start();

        assertThat(futures.stream().map(CompletableFuture::join)).containsExactly(2, 4, 6, 8, 10, 12, 14, 16);
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
        CompletableFuture<Integer> refused;
        do {
            refused = queue.submit(9, 1, Priority.NORMAL, null);
        } while (!refused.isCompletedExceptionally() || codeOf(refused) != ErrorCode.UNAVAILABLE);

        gate.countDown();
        drainer.join();

        assertThat(inTime).isTrue();
        assertThat(accepted.stream().map(CompletableFuture::join)).containsExactly(2, 4, 6, 8);
        assertThat(closed).hasSize(1);
    }

    @Test
    void whenTheDrainTimeRunsOutQueuedRequestsFailAndTheRunningBatchStillFinishes() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        BatchingQueue<Integer, Integer> queue = queue(1, Duration.ZERO);
        ModelWorkers<Integer, Integer> workers = workers(queue, 1, Integer.MAX_VALUE, gate);
        workers.start();
        CompletableFuture<Integer> running = queue.submit(1, 1, Priority.NORMAL, null);
        while (workers.inFlight() == 0) {
            Thread.onSpinWait();
        }
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
        drainer.join();
        assertThat(running.join()).isEqualTo(2);
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

        assertThat(answeredOn.join()).isEqualTo("42 on worker-0");
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

        Runnable handOff = tasks.take();
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
            tasks.take().run();
        }

        drainer.join();
        assertThat(answers.stream().map(CompletableFuture::join)).containsExactly("2 on " + me, "4 on " + me, "6 on " + me);
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
                    warmUpGate.await();
                    runner.run(List.of(0));
                    warmedOn.add(Thread.currentThread().getName());
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(starter.join(Duration.ofMillis(200))).as("start waits for the warm-ups").isFalse();
        warmUpGate.countDown();
        starter.join();
        assertThat(warmedOn).containsExactlyInAnyOrder("worker-0", "worker-1", "worker-2");

        List<CompletableFuture<Integer>> futures = IntStream.rangeClosed(1, 60)
                .mapToObj(i -> queue.submit(i, 1, Priority.NORMAL, null)).toList();
        assertThat(futures.stream().map(CompletableFuture::join)).hasSize(60);
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
