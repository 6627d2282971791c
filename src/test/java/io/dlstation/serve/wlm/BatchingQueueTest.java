package io.dlstation.serve.wlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.time.ManualClock;
import io.dlstation.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Batch formation, priorities, deadlines and back-pressure, on a fake clock. */
class BatchingQueueTest {
    private final ManualClock time = new ManualClock();
    private final List<Long> queuedNanos = new ArrayList<>();
    private int expiredCount;

    private BatchingQueue<String, String> queue(int maxBatch, double delayMs, List<Integer> preferred, int capacity) {
        BatchingPolicy policy = new BatchingPolicy(maxBatch, Duration.ofNanos(Math.round(delayMs * 1e6)), preferred,
                capacity, Duration.ofSeconds(10));
        return new BatchingQueue<>("m", policy, time, time, new WorkloadListener() {
            @Override
            public void dequeued(long nanos) {
                queuedNanos.add(nanos);
            }

            @Override
            public void expired() {
                expiredCount++;
            }
        });
    }

    private static List<String> inputs(BatchingQueue.Decision<String, String> decision) {
        return decision.batch() == null ? null : decision.batch().stream().map(j -> j.input).toList();
    }

    private static ErrorCode codeOf(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return ((DlstationException) e.getCause()).code();
        }
    }

    @ParameterizedTest(name = "max batch {0}, delay {1} ms")
    @CsvSource({"1, 0", "1, 5", "4, 0", "4, 5", "32, 0", "32, 100"})
    void aFullBatchRunsAtOnceWhateverTheDelay(int maxBatch, double delayMs) {
        BatchingQueue<String, String> q = queue(maxBatch, delayMs, List.of(), 1000);
        IntStream.range(0, maxBatch + 1).forEach(i -> q.submit("r" + i, 1, Priority.NORMAL, null));

        assertThat(q.poll().batch()).hasSize(maxBatch);
        assertThat(q.depth()).isEqualTo(1);
    }

    @ParameterizedTest(name = "delay {0} ms, {1} queued of max 8")
    @CsvSource({"0, 1", "0, 7", "2, 1", "2, 7", "10, 3"})
    void aPartBatchWaitsWhatIsLeftOfTheDelayAfterItsOldestRequest(double delayMs, int queued) {
        BatchingQueue<String, String> q = queue(8, delayMs, List.of(), 1000);
        q.submit("first", 1, Priority.NORMAL, null);
        time.advanceMillis(delayMs / 2);
        IntStream.range(1, queued).forEach(i -> q.submit("r" + i, 1, Priority.NORMAL, null));

        if (delayMs > 0) {
            BatchingQueue.Decision<String, String> wait = q.poll();
            assertThat(wait.batch()).isNull();
            assertThat(wait.waitNanos()).isEqualTo(Math.round(delayMs / 2 * 1e6));
            time.advanceMillis(delayMs / 2);
        }
        assertThat(q.poll().batch()).hasSize(queued);
        assertThat(queuedNanos).first().isEqualTo(Math.round(delayMs * 1e6));
    }

    @Test
    void timeSpentBehindARunningBatchCountsAgainstTheDelay() {
        BatchingQueue<String, String> q = queue(8, 5, List.of(), 1000);
        q.submit("a", 1, Priority.NORMAL, null);
        time.advanceMillis(7); // the workers were busy

        assertThat(inputs(q.poll())).containsExactly("a");
    }

    @Test
    void theLargestPreferredSizeThatCanBeFormedRunsAtOnce() {
        BatchingQueue<String, String> q = queue(16, 50, List.of(4, 8), 1000);
        IntStream.range(0, 11).forEach(i -> q.submit("r" + i, 1, Priority.NORMAL, null));

        assertThat(q.poll().batch()).hasSize(8);
        BatchingQueue.Decision<String, String> rest = q.poll();
        assertThat(rest.batch()).isNull(); // 3 left: no preferred size, delay not over
        time.advanceMillis(50);
        assertThat(q.poll().batch()).hasSize(3);
    }

    @Test
    void samplesNotRequestsFillABatch() {
        BatchingQueue<String, String> q = queue(8, 50, List.of(), 1000);
        q.submit("three", 3, Priority.NORMAL, null);
        q.submit("four", 4, Priority.NORMAL, null);
        q.submit("two", 2, Priority.NORMAL, null); // would make 9

        assertThat(inputs(q.poll())).containsExactly("three", "four");
        assertThat(q.submit("nine", 9, Priority.NORMAL, null)).isCompletedExceptionally();
        assertThat(codeOf(q.submit("nine", 9, Priority.NORMAL, null))).isEqualTo(ErrorCode.BAD_INPUT);
    }

    @Test
    void highPriorityRequestsJoinBeforeNormalOnes() {
        BatchingQueue<String, String> q = queue(4, 0, List.of(), 1000);
        q.submit("n1", 1, Priority.NORMAL, null);
        q.submit("n2", 1, Priority.NORMAL, null);
        q.submit("n3", 1, Priority.NORMAL, null);
        q.submit("h1", 1, Priority.HIGH, null);
        q.submit("h2", 1, Priority.HIGH, null);

        assertThat(inputs(q.poll())).containsExactly("h1", "h2", "n1", "n2");
        assertThat(inputs(q.poll())).containsExactly("n3");
    }

    @Test
    void aFullQueueRefusesAtOnceAndAnExpiredRequestFreesItsPlace() {
        BatchingQueue<String, String> q = queue(8, 50, List.of(), 2);
        q.submit("a", 1, Priority.NORMAL, Duration.ofMillis(10));
        q.submit("b", 1, Priority.NORMAL, null);

        CompletableFuture<String> refused = q.submit("c", 1, Priority.NORMAL, null);
        assertThat(codeOf(refused)).isEqualTo(ErrorCode.QUEUE_FULL);
        assertThatThrownBy(refused::join).hasMessageContaining("queue_size");

        time.advanceMillis(10);
        assertThat(q.submit("d", 1, Priority.NORMAL, null)).isNotDone();
    }

    @Test
    void aRequestPastItsDeadlineIsAnsweredByItsTimerAndNeverRuns() {
        BatchingQueue<String, String> q = queue(8, 50, List.of(), 100);
        CompletableFuture<String> late = q.submit("late", 1, Priority.NORMAL, Duration.ofMillis(20));
        CompletableFuture<String> patient = q.submit("patient", 1, Priority.NORMAL, null);

        time.advanceMillis(20);

        assertThat(codeOf(late)).isEqualTo(ErrorCode.TIMEOUT);
        assertThatThrownBy(late::join).hasMessageContaining("waited 20 ms");
        assertThat(expiredCount).isEqualTo(1);
        time.advanceMillis(30);
        assertThat(inputs(q.poll())).containsExactly("patient");
        assertThat(patient).isNotDone();
    }

    @Test
    void theBatcherExpiresARequestWhoseTimerHasNotRunYet() {
        ManualClock clock = new ManualClock();
        Scheduler neverRuns = (task, nanos) -> new CompletableFuture<Void>();
        BatchingQueue<String, String> q = new BatchingQueue<>("m", new BatchingPolicy(8, Duration.ZERO, List.of(), 100,
                Duration.ofSeconds(10)), clock, neverRuns, WorkloadListener.NONE);
        CompletableFuture<String> late = q.submit("late", 1, Priority.NORMAL, Duration.ofMillis(1));
        q.submit("ok", 1, Priority.NORMAL, null);
        clock.advanceMillis(1);

        assertThat(inputs(q.poll())).containsExactly("ok");
        assertThat(codeOf(late)).isEqualTo(ErrorCode.TIMEOUT);
    }

    @Test
    void aRequestTakenForABatchCancelsItsTimer() {
        BatchingQueue<String, String> q = queue(8, 0, List.of(), 100);
        q.submit("a", 1, Priority.NORMAL, Duration.ofMillis(5));
        assertThat(time.pendingTimers()).isEqualTo(1);

        assertThat(q.poll().batch()).hasSize(1);

        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void aQueueThatStoppedAcceptingRefusesNewRequestsAndRunsWhatIsQueuedWithoutWaiting() {
        BatchingQueue<String, String> q = queue(8, 1000, List.of(), 100);
        q.submit("a", 1, Priority.NORMAL, null);
        q.stopAccepting("the server is stopping");

        CompletableFuture<String> refused = q.submit("b", 1, Priority.NORMAL, null);
        assertThat(codeOf(refused)).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThatThrownBy(refused::join).hasMessageContaining("the server is stopping");
        assertThat(inputs(q.poll())).containsExactly("a");
    }

    @Test
    void failingTheQueueAnswersEveryQueuedRequestOnce() {
        BatchingQueue<String, String> q = queue(8, 1000, List.of(), 100);
        List<CompletableFuture<String>> futures = IntStream.range(0, 5)
                .mapToObj(i -> q.submit("r" + i, 1, i % 2 == 0 ? Priority.HIGH : Priority.NORMAL, null)).toList();

        int failed = q.failQueued(new DlstationException(ErrorCode.UNAVAILABLE, "unloaded"));

        assertThat(failed).isEqualTo(5);
        futures.forEach(f -> assertThat(codeOf(f)).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(q.depth()).isZero();
        assertThat(q.poll().batch()).isNull();
        assertThat(time.pendingTimers()).isZero();
    }
}
