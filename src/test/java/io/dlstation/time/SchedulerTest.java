package io.dlstation.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.testing.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The system schedulers run a task once after its delay, and never once it is cancelled. */
class SchedulerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static void runsAndCancels(Scheduler scheduler) {
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule(ran::countDown, Duration.ofMillis(1).toNanos());
        Await.open(ran, PATIENCE, "the task to run");

        AtomicBoolean cancelledRan = new AtomicBoolean();
        Future<?> cancelled = scheduler.schedule(() -> cancelledRan.set(true), Duration.ofMillis(50).toNanos());
        assertThat(cancelled.cancel(false)).isTrue();
        CountDownLatch later = new CountDownLatch(1);
        scheduler.schedule(later::countDown, Duration.ofMillis(100).toNanos());
        Await.open(later, PATIENCE, "a task due after the cancelled one");
        assertThat(cancelledRan).as("the cancelled task ran").isFalse();
    }

    @Test
    void theSharedSystemSchedulerRunsAndCancels() {
        runsAndCancels(Scheduler.system());
    }

    @Test
    void aSchedulerOverItsOwnExecutorRunsAndCancels() {
        ScheduledThreadPoolExecutor executor = Scheduler.newExecutor("scheduler-test");
        try {
            runsAndCancels(Scheduler.of(executor));
            assertThat(executor.getQueue()).as("cancelled tasks leave the queue").isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void theSystemTickerFollowsNanoTime() {
        long before = System.nanoTime();
        long read = Ticker.system().read();
        assertThat(read - before).isNotNegative();
        assertThat(System.nanoTime() - read).isNotNegative();
    }
}
