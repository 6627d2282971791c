package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.config.AlertMetric;
import io.dlstation.config.AlertRuleConfig;
import io.dlstation.config.AlertRuleConfig.Op;
import io.dlstation.config.AlertRuleConfig.Severity;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules over snapshots stamped by a fake clock: pending -> firing -> resolved, with hysteresis. */
class AlertEngineTest {
    private static final Duration STEP = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock(Instant.parse("2025-06-01T10:00:00Z"));
    private final List<AlertEvent> events = new ArrayList<>();

    private static AlertRuleConfig hot(Duration forDuration, double hysteresis) {
        return new AlertRuleConfig("gpu_hot", AlertMetric.GPU_TEMPERATURE_CELSIUS, Op.GT, 85.0, forDuration,
                Severity.CRITICAL, hysteresis, null);
    }

    private AlertEngine engine(AlertRuleConfig... rules) {
        return new AlertEngine(List.of(rules), events::add);
    }

    /** Feeds one snapshot per temperature (GPU 0), STEP apart. */
    private void temperatures(AlertEngine engine, int... celsius) {
        for (int t : celsius) {
            engine.accept(Snapshots.of(clock.instant(), FakeHostTelemetry.host(50), Snapshots.gpuAt(0, t)));
            clock.advance(STEP);
        }
    }

    @Test
    void firesOnlyAfterTheBreachHasLastedFor() {
        AlertEngine engine = engine(hot(Duration.ofSeconds(30), 3));
        temperatures(engine, 80, 86, 87, 88, 89, 90, 91);
        assertThat(events).isEmpty();
        assertThat(engine.active()).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(ActiveAlert.State.PENDING);
            assertThat(a.subject()).isEqualTo("gpu0");
            assertThat(a.since()).isEqualTo(Instant.parse("2025-06-01T10:00:05Z"));
            assertThat(a.value()).isEqualTo(91.0);
        });
        temperatures(engine, 92); // 30 s after the breach began
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(AlertEvent.Status.FIRING);
            assertThat(e.rule()).isEqualTo("gpu_hot");
            assertThat(e.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(e.subject()).isEqualTo("gpu0");
            assertThat(e.gpu()).isZero();
            assertThat(e.gpuUuid()).startsWith("GPU-");
            assertThat(e.hostname()).isEqualTo("box01");
            assertThat(e.value()).isEqualTo(92.0);
            assertThat(e.since()).isEqualTo(Instant.parse("2025-06-01T10:00:05Z"));
            assertThat(e.time()).isEqualTo(Instant.parse("2025-06-01T10:00:35Z"));
            assertThat(e.summary()).isEqualTo("FIRING critical gpu_hot on box01 gpu0 (NVIDIA H100 80GB HBM3): "
                    + "gpu_temperature_celsius 92 > 85 for 30s");
        });
        assertThat(engine.active()).singleElement().extracting(ActiveAlert::state).isEqualTo(ActiveAlert.State.FIRING);
    }

    @Test
    void onAHostOfTwoGpusTheAlertNamesTheGpuThatBreached() {
        AlertEngine engine = engine(hot(Duration.ZERO, 3));
        engine.accept(Snapshots.of(clock.instant(), FakeHostTelemetry.host(50), Snapshots.gpuAt(0, 60),
                Snapshots.gpuAt(1, 95)));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.gpu()).isEqualTo(1);
            assertThat(e.subject()).isEqualTo("gpu1");
            assertThat(e.summary()).contains("gpu1");
        });
        assertThat(engine.active()).extracting(ActiveAlert::subject).containsExactly("gpu1");
    }

    @Test
    void aBreachShorterThanForNeverFiresAndResetsThePendingTime() {
        AlertEngine engine = engine(hot(Duration.ofSeconds(20), 3));
        temperatures(engine, 86, 87, 88, 84, 86, 87, 88, 89);
        assertThat(events).isEmpty();
        assertThat(engine.active()).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(ActiveAlert.State.PENDING);
            assertThat(a.since()).isEqualTo(Instant.parse("2025-06-01T10:00:20Z"));
        });
        temperatures(engine, 90);
        assertThat(events).extracting(AlertEvent::status).containsExactly(AlertEvent.Status.FIRING);
    }

    @Test
    void aValueHoveringAtTheThresholdDoesNotFlap() {
        AlertEngine engine = engine(hot(Duration.ZERO, 3));
        temperatures(engine, 86, 85, 86, 84, 86, 83, 86, 85, 84);
        assertThat(events).extracting(AlertEvent::status).containsExactly(AlertEvent.Status.FIRING);
        temperatures(engine, 82); // threshold - hysteresis
        assertThat(events).extracting(AlertEvent::status)
                .containsExactly(AlertEvent.Status.FIRING, AlertEvent.Status.RESOLVED);
        AlertEvent resolved = events.get(1);
        assertThat(resolved.value()).isEqualTo(82.0);
        assertThat(resolved.since()).isEqualTo(Instant.parse("2025-06-01T10:00:00Z"));
        assertThat(resolved.summary()).contains("RESOLVED", "82 back past 85");
        assertThat(engine.active()).isEmpty();
    }

    @Test
    void withoutHysteresisTheSameHoveringFlaps() {
        AlertEngine engine = engine(hot(Duration.ZERO, 0));
        temperatures(engine, 86, 85, 86, 85);
        assertThat(events).extracting(AlertEvent::status).containsExactly(AlertEvent.Status.FIRING,
                AlertEvent.Status.RESOLVED, AlertEvent.Status.FIRING, AlertEvent.Status.RESOLVED);
    }

    @Test
    void aBelowRuleResolvesAboveThresholdPlusHysteresis() {
        AlertRuleConfig idle = new AlertRuleConfig("idle", AlertMetric.GPU_UTILIZATION_PERCENT, Op.LT, 10.0,
                Duration.ofSeconds(10), Severity.INFO, 5.0, null);
        AlertEngine engine = engine(idle);
        for (int util : new int[] {50, 5, 5, 5, 12, 14, 9, 15}) {
            engine.accept(Snapshots.of(clock.instant(), FakeHostTelemetry.host(50),
                    FakeGpuTelemetry.gpu(0, 40, util, 1L << 30, List.of())));
            clock.advance(STEP);
        }
        assertThat(events).extracting(e -> e.status() + "@" + AlertRuleConfig.number(e.value()))
                .containsExactly("firing@5", "resolved@15");
    }

    @Test
    void eachGpuHasItsOwnStateAndTheGpuListLimitsARule() {
        AlertRuleConfig onlyGpu1 = new AlertRuleConfig("hot1", AlertMetric.GPU_TEMPERATURE_CELSIUS, Op.GT, 85.0,
                Duration.ZERO, Severity.WARNING, 3.0, List.of(1));
        AlertEngine engine = engine(hot(Duration.ZERO, 3), onlyGpu1);
        engine.accept(Snapshots.of(clock.instant(), FakeHostTelemetry.host(50), Snapshots.gpuAt(0, 90),
                Snapshots.gpuAt(1, 40)));
        clock.advance(STEP);
        engine.accept(Snapshots.of(clock.instant(), FakeHostTelemetry.host(50), Snapshots.gpuAt(0, 90),
                Snapshots.gpuAt(1, 95)));
        assertThat(events).extracting(e -> e.rule() + " " + e.subject())
                .containsExactly("gpu_hot gpu0", "gpu_hot gpu1", "hot1 gpu1");
    }

    @Test
    void hostRulesReadTheHost() {
        AlertRuleConfig memory = AlertRuleConfig.defaults().get(3);
        AlertEngine engine = engine(memory);
        for (double used : new double[] {95, 95, 95, 95, 95, 95, 95, 95, 95, 95, 95, 95, 95}) {
            engine.accept(Snapshots.of(clock.instant(), FakeHostTelemetry.host(used)));
            clock.advance(STEP);
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("host");
            assertThat(e.gpu()).isNull();
            assertThat(e.rule()).isEqualTo("host_memory_high");
            assertThat(e.value()).isCloseTo(95.0, org.assertj.core.data.Offset.offset(0.01));
        });
    }

    @Test
    void aMissingValueNeitherFiresNorResolves() {
        AlertEngine engine = engine(hot(Duration.ofSeconds(10), 3));
        temperatures(engine, 90);
        GpuDevice noSensor = FakeGpuTelemetry.gpu(0, null, 50, 1L << 30, List.of());
        for (int i = 0; i < 5; i++) {
            engine.accept(Snapshots.of(clock.instant(), FakeHostTelemetry.host(50), noSensor));
            clock.advance(STEP);
        }
        assertThat(events).isEmpty();
        assertThat(engine.active()).singleElement().extracting(ActiveAlert::state).isEqualTo(ActiveAlert.State.PENDING);
        temperatures(engine, 90);
        assertThat(events).extracting(AlertEvent::status).containsExactly(AlertEvent.Status.FIRING);
    }

    @Test
    void theShippedDefaultsFireOnTheSeedsConditionsAfterAMinute() {
        AlertEngine engine = engine(AlertRuleConfig.defaults().toArray(AlertRuleConfig[]::new));
        GpuDevice busyHotFull = FakeGpuTelemetry.gpu(0, 90, 99, 79L << 30, List.of());
        GpuDevice idle = FakeGpuTelemetry.gpu(1, 40, 2, 1L << 30, List.of());
        for (int i = 0; i <= 12; i++) {
            engine.accept(Snapshots.of(clock.instant(), FakeHostTelemetry.host(93), busyHotFull, idle));
            if (i == 11) {
                assertThat(events).as("55 s in").isEmpty();
            }
            clock.advance(STEP);
        }
        assertThat(events).extracting(e -> e.rule() + " " + e.subject()).containsExactlyInAnyOrder(
                "gpu_temperature_high gpu0", "gpu_utilization_low gpu1", "gpu_memory_high gpu0", "host_memory_high host");
    }
}
