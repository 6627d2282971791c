package io.dlstation.monitor;

import io.dlstation.testing.SteppingScheduler;
import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.host.HostMetrics;
import io.dlstation.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sampler and the loop, stepped by hand: failures become missing values or reports, never a stop. */
class MonitorLoopTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2025-06-01T10:00:00Z"));
    private final FakeGpuTelemetry gpus = FakeGpuTelemetry.twoGpus();
    private final FakeHostTelemetry host = new FakeHostTelemetry();
    private final long[] nanos = {0};
    private final Sampler sampler = new Sampler(gpus, host, clock, () -> nanos[0] += 1_500_000);
    private final SteppingScheduler scheduler = new SteppingScheduler();
    private final List<String> problems = new ArrayList<>();

    @Test
    void aSampleHoldsEveryGpuTheHostTheTimeAndItsOwnDuration() {
        MonitorSnapshot s = sampler.sample();
        assertThat(s.schema()).isEqualTo(1);
        assertThat(s.time()).isEqualTo(clock.instant());
        assertThat(s.gpus()).hasSize(2);
        assertThat(s.gpus().get(0).processes()).singleElement().satisfies(p -> assertThat(p.pid()).isEqualTo(4242));
        assertThat(s.host().hostname()).isEqualTo("box01");
        assertThat(s.hostname()).isEqualTo("box01");
        assertThat(s.driverVersion()).isEqualTo("580.159.04");
        assertThat(s.gpuProblem()).isNull();
        assertThat(s.sampleMillis()).isEqualTo(1.5);
    }

    @Test
    void failingTelemetryIsMissingDataNotAnException() {
        sampler.sample();
        gpus.failWith(new IllegalStateException("NVML went away"));
        host.failWith(new RuntimeException("no /proc"));
        MonitorSnapshot s = sampler.sample();
        assertThat(s.gpus()).isEmpty();
        assertThat(s.gpuProblem()).contains("GPU telemetry failed").contains("NVML went away");
        assertThat(s.host().hostname()).as("known from the reading before").isEqualTo("box01");
        assertThat(s.host().cpuUtilizationPercent()).isNull();
        assertThat(s.host().memoryUsedPercent()).isNull();
        gpus.failWith(null);
        gpus.unavailable("no driver");
        assertThat(sampler.sample().gpuProblem()).isEqualTo("no driver");
    }

    @Test
    void everyTickGoesToEverySinkInOrder() {
        List<String> seen = new ArrayList<>();
        SnapshotSink first = s -> seen.add("first " + s.time());
        SnapshotSink second = s -> seen.add("second " + s.time());
        MonitorLoop loop = new MonitorLoop(sampler, List.of(first, second), scheduler, Duration.ofSeconds(5), 0,
                problems::add);
        loop.start();
        assertThat(scheduler.lastPeriodNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
        scheduler.tick();
        clock.advance(Duration.ofSeconds(5));
        scheduler.tick();
        assertThat(seen).containsExactly("first 2025-06-01T10:00:00Z", "second 2025-06-01T10:00:00Z",
                "first 2025-06-01T10:00:05Z", "second 2025-06-01T10:00:05Z");
        assertThat(loop.samples()).isEqualTo(2);
        assertThat(loop.finished()).isNotDone();
        assertThat(problems).isEmpty();
    }

    @Test
    void aFailingSinkIsReportedOnceAndNeitherTheOthersNorTheLoopStop() {
        List<Instant> delivered = new ArrayList<>();
        SnapshotSink broken = s -> {
            throw new IllegalStateException("disk full");
        };
        MonitorLoop loop = new MonitorLoop(sampler, List.of(broken, s -> delivered.add(s.time())), scheduler,
                Duration.ofSeconds(1), 0, problems::add);
        loop.start();
        for (int i = 0; i < 3; i++) {
            scheduler.tick();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(delivered).hasSize(3);
        assertThat(problems).singleElement().asString().contains("failed: disk full").contains("sampling goes on");
        assertThat(scheduler.cancelled()).isFalse();
    }

    @Test
    void aSampleLimitStopsTheLoopAndCloseClosesTheSinks() {
        List<String> closed = new ArrayList<>();
        SnapshotSink sink = new SnapshotSink() {
            @Override
            public void accept(MonitorSnapshot snapshot) {}

            @Override
            public void close() {
                closed.add("sink");
            }
        };
        MonitorLoop loop = new MonitorLoop(sampler, List.of(sink), scheduler, Duration.ofMillis(500), 2, problems::add);
        loop.start();
        scheduler.tick();
        assertThat(loop.finished()).isNotDone();
        scheduler.tick();
        assertThat(loop.finished()).isCompletedWithValue(2L);
        assertThat(scheduler.cancelled()).isTrue();
        scheduler.tick();
        assertThat(loop.samples()).isEqualTo(2);
        loop.close();
        assertThat(closed).containsExactly("sink");
    }

    @Test
    void unknownHostValuesStayNullInTheSnapshot() {
        host.set(HostMetrics.unknown("box02"));
        MonitorSnapshot s = sampler.sample();
        assertThat(s.host().memoryUsedPercent()).isNull();
        assertThat(s.host().swapUsedPercent()).isNull();
        assertThat(s.host().coreUtilizationPercent()).isEmpty();
    }
}
