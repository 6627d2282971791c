package io.dlstation.serve.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The growth verdict on a run's server samples, on made-up series. */
class SoakVerdictTest {
    private static final double MIB = 1024.0 * 1024.0;

    /** A sample every 10 s for 10 minutes; heap and GPU in MiB by sample index; failed requests by index. */
    private static List<ServerSample> series(IntFunction<Double> heapMib, IntFunction<Double> gpuMib,
            IntFunction<Long> failed) {
        List<ServerSample> samples = new ArrayList<>();
        for (int i = 0; i <= 60; i++) {
            Double gpu = gpuMib.apply(i);
            samples.add(new ServerSample(i * 10.0, heapMib.apply(i) * MIB, 2048 * MIB + i * MIB,
                    gpu == null ? null : gpu * MIB, 1000L * i, failed.apply(i)));
        }
        return samples;
    }

    /** A heap that saws from 200 MiB up to 800 MiB and back every 4 samples: garbage, not growth. */
    private static double sawtooth(int i) {
        return 200 + 200 * (i % 4);
    }

    @Test
    void aSawtoothHeapAndFlatGpuMemoryAreSteady() {
        SoakVerdict v = SoakVerdict.of(series(SoakVerdictTest::sawtooth, i -> 5210.0, i -> 0L), 60, 0);

        assertThat(v.steady()).isTrue();
        assertThat(v.summary()).isEqualTo("steady");
        assertThat(v.samplesAfterWarmup()).isEqualTo(55);
        assertThat(v.windowS()).isEqualTo(100.0);
        assertThat(v.heapFloor().start()).isEqualTo(200 * MIB);
        assertThat(v.heapFloor().end()).isEqualTo(200 * MIB);
        assertThat(v.heapFloor().allowed()).isEqualTo(20 * MIB); // 10% of 200 MiB, over the 16 MiB minimum
        assertThat(v.gpuUsed().growth()).isZero();
        assertThat(v.rss().grew()).isFalse();
        assertThat(v.rss().allowed()).as("RSS is shown, not judged").isNull();
        assertThat(v.serverErrors()).isZero();
        assertThat(v.text()).contains("heap floor", "200.0 MiB ->      200.0 MiB", "GPU memory used", "not judged",
                "Verdict: steady (no growth, no errors)");
    }

    @Test
    void aRisingHeapFloorIsGrowthButWarmUpGrowthIsNot() {
        SoakVerdict leaking = SoakVerdict.of(series(i -> sawtooth(i) + 2.0 * i, i -> 5210.0, i -> 0L), 60, 0);
        assertThat(leaking.steady()).isFalse();
        assertThat(leaking.heapFloor().grew()).isTrue();
        assertThat(leaking.summary()).startsWith("the heap floor grew by");
        assertThat(leaking.text()).contains("GREW (more than 21.6 MiB)").contains("Verdict: the heap floor grew by");

        SoakVerdict warming = SoakVerdict.of(series(i -> sawtooth(i) + (i < 6 ? 10.0 * i : 60), i -> i < 6 ? 1000.0 * i
                : 5210.0, i -> 0L), 60, 0);
        assertThat(warming.steady()).as(warming.summary()).isTrue();
    }

    @Test
    void gpuMemoryGrowthCountsAboveItsSlack() {
        SoakVerdict small = SoakVerdict.of(series(SoakVerdictTest::sawtooth, i -> 5210.0 + i, i -> 0L), 60, 0);
        assertThat(small.steady()).as("+54 MiB is within max(64 MiB, 2%%)").isTrue();

        SoakVerdict grown = SoakVerdict.of(series(SoakVerdictTest::sawtooth, i -> 5210.0 + 10 * i, i -> 0L), 60, 0);
        assertThat(grown.steady()).isFalse();
        assertThat(grown.gpuUsed().grew()).isTrue();
        assertThat(grown.findings()).containsExactly("GPU memory used grew by 440.0 MiB");
    }

    @Test
    void anyErrorAtTheClientOrTheServerFails() {
        SoakVerdict client = SoakVerdict.of(series(SoakVerdictTest::sawtooth, i -> null, i -> 0L), 60, 3);
        assertThat(client.steady()).isFalse();
        assertThat(client.findings()).containsExactly("3 requests got no 200");
        assertThat(client.gpuUsed().start()).isNull();
        assertThat(client.text()).contains("GPU memory used  not exported by the server");

        SoakVerdict server = SoakVerdict.of(series(SoakVerdictTest::sawtooth, i -> 5210.0, i -> i < 30 ? 2L : 7L), 60, 0);
        assertThat(server.serverErrors()).isEqualTo(5);
        assertThat(server.summary()).isEqualTo("the server answered 5 requests with 400 or more");
    }

    @Test
    void tooFewSamplesAfterTheWarmUpAreInconclusive() {
        SoakVerdict v = SoakVerdict.of(series(SoakVerdictTest::sawtooth, i -> 5210.0, i -> 0L), 595, 0);

        assertThat(v.steady()).isFalse();
        assertThat(v.samplesAfterWarmup()).isEqualTo(1);
        assertThat(v.summary()).isEqualTo("inconclusive");
        assertThat(v.findings()).containsExactly("fewer than 2 samples after the warm-up: run longer or sample more often");
    }
}
