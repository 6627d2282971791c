package io.dlstation.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The waits end: with the result when it comes, with a failure naming what was awaited when not. */
class AwaitTest {
    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void untilReturnsOnceTheConditionHoldsAndFailsNamingItWhenItNeverDoes() {
        AtomicInteger looks = new AtomicInteger();
        Await.until(() -> looks.incrementAndGet() >= 3, Duration.ofSeconds(30), "three looks");
        assertThat(looks).hasValue(3);

        assertThatThrownBy(() -> Await.until(() -> false, SHORT, "a condition that never holds"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("still waiting after PT0.02S for a condition that never holds");
    }

    @Test
    void resultGivesTheValueOrTheFailureAsJoinWouldAndFailsWhenNothingComes() {
        assertThat(Await.result(CompletableFuture.completedFuture(7), SHORT, "seven")).isEqualTo(7);
        IllegalStateException cause = new IllegalStateException("broken");
        assertThatThrownBy(() -> Await.result(CompletableFuture.failedFuture(cause), SHORT, "a failure"))
                .isInstanceOf(CompletionException.class).hasCause(cause);
        assertThatThrownBy(() -> Await.result(new CompletableFuture<>(), SHORT, "an answer"))
                .isInstanceOf(AssertionError.class).hasMessage("no result after PT0.02S for an answer");
    }

    @Test
    void threadsLatchesAndQueuesFailWhenTheyDoNotEndOpenOrDeliver() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        Thread stuck = Thread.ofPlatform().daemon().start(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThatThrownBy(() -> Await.ended(stuck, SHORT, "a stuck thread")).isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("still running after PT0.02S: a stuck thread");
            assertThatThrownBy(() -> Await.open(never, SHORT, "a closed latch")).isInstanceOf(AssertionError.class)
                    .hasMessage("still waiting after PT0.02S for a closed latch (1 to go)");
        } finally {
            never.countDown();
        }
        Await.ended(stuck, Duration.ofSeconds(30), "the thread once released");

        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        assertThatThrownBy(() -> Await.next(queue, SHORT, "an empty queue")).isInstanceOf(AssertionError.class)
                .hasMessage("nothing arrived within PT0.02S: an empty queue");
        queue.add("item");
        assertThat(Await.next(queue, SHORT, "an item")).isEqualTo("item");
    }
}
