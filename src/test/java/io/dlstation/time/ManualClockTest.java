package io.dlstation.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The tests' clock: ticker, wall time and scheduled tasks move together, and only when told. */
class ManualClockTest {
    private static final Instant START = Instant.parse("2025-06-01T10:00:00Z");

    @Test
    void advanceMovesTheTickerAndTheWallTimeAndRunsWhatCameDueInOrder() {
        ManualClock time = new ManualClock(START);
        long origin = time.read();
        List<String> ran = new ArrayList<>();
        time.schedule(() -> ran.add("late"), Duration.ofMillis(30).toNanos());
        time.schedule(() -> ran.add("early"), Duration.ofMillis(10).toNanos());
        Future<?> cancelled = time.schedule(() -> ran.add("cancelled"), Duration.ofMillis(20).toNanos());
        cancelled.cancel(false);
        assertThat(time.pendingTimers()).isEqualTo(2);

        time.advanceMillis(9.5);
        assertThat(ran).isEmpty();
        time.advance(Duration.ofMillis(25));

        assertThat(ran).containsExactly("early", "late");
        assertThat(time.pendingTimers()).isZero();
        assertThat(time.read() - origin).isEqualTo(Duration.ofMillis(34).toNanos() + 500_000);
        assertThat(time.instant()).isEqualTo(START.plusNanos(34_500_000));
        assertThatThrownBy(() -> time.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set(Instant)");
    }

    @Test
    void setMovesOnlyTheWallTimeAndAZonedViewFollowsIt() {
        ManualClock time = new ManualClock(START);
        long ticker = time.read();
        Clock berlin = time.withZone(ZoneId.of("Europe/Berlin"));

        time.set(START.minusSeconds(3600)); // a clock stepped back
        assertThat(time.instant()).isEqualTo(START.minusSeconds(3600));
        assertThat(time.read()).isEqualTo(ticker);
        assertThat(berlin.instant()).isEqualTo(START.minusSeconds(3600));
        assertThat(berlin.getZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        time.advance(Duration.ofSeconds(1));
        assertThat(berlin.instant()).isEqualTo(START.minusSeconds(3599));
    }
}
