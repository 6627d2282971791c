package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dlstation.host.HostMetrics;
import io.dlstation.host.HostTelemetry;
import org.junit.jupiter.api.Test;

/** The sampling bench's arithmetic, on a fake clock that the fake telemetry moves. */
class SamplingBenchTest {
    private final long[] now = {0};
    private final long[] cpu = {0};

    @Test
    void reportsMeanP99PerGpuAndCpuTimePerSample() {
        FakeGpuTelemetry twoGpus = FakeGpuTelemetry.twoGpus();
        int[] reads = {0};
        io.dlstation.gpu.GpuTelemetry gpus = new io.dlstation.gpu.GpuTelemetry() {
            @Override
            public io.dlstation.gpu.GpuInventory read() {
                reads[0]++;
                // 1 ms per read, 11 ms for the last one
                now[0] += reads[0] == 5 + 100 ? 11_000_000 : 1_000_000;
                cpu[0] += 200_000;
                return twoGpus.read();
            }

            @Override
            public void close() {}
        };
        HostTelemetry host = () -> {
            now[0] += 300_000;
            return HostMetrics.unknown("box01");
        };
        SamplingBench.Result r = new SamplingBench(gpus, host, () -> now[0], () -> cpu[0]).run(100);
        assertThat(r.samples()).isEqualTo(100);
        assertThat(r.gpuCount()).isEqualTo(2);
        assertThat(r.gpuProblem()).isNull();
        assertThat(r.gpuMeanMillis()).isCloseTo(1.1, within(1e-9));
        assertThat(r.gpuP99Millis()).isCloseTo(1.0, within(1e-9));
        assertThat(r.perGpuMeanMillis()).isCloseTo(0.55, within(1e-9));
        assertThat(r.hostMeanMillis()).isCloseTo(0.3, within(1e-9));
        assertThat(r.cpuMillisPerSample()).isCloseTo(0.2, within(1e-9));
        assertThat(r.cpuPercentAt1s()).isCloseTo(0.02, within(1e-9));
        assertThat(reads[0]).as("five warm-up reads first").isEqualTo(105);
    }

    @Test
    void withoutNvmlOrProcessCpuTimeItSaysSo() {
        FakeGpuTelemetry none = new FakeGpuTelemetry();
        none.unavailable("no driver");
        SamplingBench.Result r = new SamplingBench(none, new FakeHostTelemetry(), () -> now[0]++, () -> -1).run(3);
        assertThat(r.gpuCount()).isZero();
        assertThat(r.gpuProblem()).isEqualTo("no driver");
        assertThat(r.perGpuMeanMillis()).isZero();
        assertThat(r.cpuMillisPerSample()).isNull();
    }

    @Test
    void p99IsTheNearestRank() {
        long[] nanos = new long[200];
        for (int i = 0; i < 200; i++) {
            nanos[i] = (200 - i) * 1_000_000L;
        }
        assertThat(SamplingBench.p99(nanos)).isEqualTo(198.0);
        assertThat(SamplingBench.p99(new long[] {5_000_000})).isEqualTo(5.0);
    }
}
