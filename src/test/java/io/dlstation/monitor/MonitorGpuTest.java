package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.host.HostTelemetry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs on a machine with an NVIDIA GPU and driver: samples the real GPUs through NVML and checks that
 * every value is plausible, then that the exporter serves them under the DCGM names. Timings are
 * measured with {@code dlstation monitor --bench-sampling}, not asserted here.
 */
@Tag("gpu")
class MonitorGpuTest {

    @Test
    void samplesEveryGpuWithPlausibleValues() {
        try (GpuTelemetry gpus = GpuTelemetry.open()) {
            Sampler sampler = Sampler.of(gpus, HostTelemetry.open());
            sampler.sample();
            MonitorSnapshot snapshot = sampler.sample();
            assertThat(snapshot.gpuProblem()).isNull();
            assertThat(snapshot.driverVersion()).matches("\\d+\\.\\d+(\\.\\d+)?");
            assertThat(snapshot.gpus()).isNotEmpty();
            for (GpuDevice gpu : snapshot.gpus()) {
                String which = "GPU " + gpu.index();
                assertThat(gpu.uuid()).as(which).startsWith("GPU-");
                assertThat(gpu.name()).as(which).isNotBlank();
                assertThat(gpu.memory().totalBytes()).as(which).isGreaterThan(1L << 30);
                assertThat(gpu.memory().usedBytes()).as(which).isBetween(0L, gpu.memory().totalBytes());
                assertThat(gpu.memory().freeBytes()).as(which).isBetween(0L, gpu.memory().totalBytes());
                assertThat(gpu.utilizationGpuPercent()).as(which).isBetween(0, 100);
                assertThat(gpu.utilizationMemoryPercent()).as(which).isBetween(0, 100);
                assertThat(gpu.temperatureCelsius()).as(which).isBetween(5, 110);
                assertThat(gpu.powerWatts()).as(which).isBetween(1.0, 2000.0);
                assertThat(gpu.powerLimitWatts()).as(which).isBetween(50.0, 2000.0);
                assertThat(gpu.smClockMhz()).as(which).isBetween(1, 4000);
                assertThat(gpu.memoryClockMhz()).as(which).isBetween(1, 20000);
                assertThat(gpu.maxSmClockMhz()).as(which).isGreaterThanOrEqualTo(gpu.smClockMhz());
                assertThat(gpu.clocksEventReasons()).as(which).isNotNull();
                gpu.processes().forEach(p -> {
                    assertThat(p.pid()).as(which).isPositive();
                    if (p.usedBytes() != null) {
                        assertThat(p.usedBytes()).as(which).isBetween(0L, gpu.memory().totalBytes());
                    }
                });
            }
            assertThat(snapshot.host().memoryTotalBytes()).isPositive();
            assertThat(snapshot.host().memoryUsedPercent()).isBetween(0.0, 100.0);
            assertThat(snapshot.sampleMillis()).isPositive();
        }
    }

    @Test
    void theExporterServesEachGpuUnderTheDcgmNames() throws Exception {
        try (GpuTelemetry gpus = GpuTelemetry.open()) {
            LatestSnapshot latest = new LatestSnapshot();
            latest.accept(Sampler.of(gpus, HostTelemetry.open()).sample());
            try (PrometheusExporter exporter = PrometheusExporter.start("127.0.0.1", 0,
                    Exposition.registry(latest, List.of()))) {
                Map<String, Double> samples = Exposition.samples(Exposition.get(exporter.url()));
                for (GpuDevice gpu : latest.get().gpus()) {
                    String labels = GpuCollector.labels(gpu, latest.get().hostname()).toString();
                    String gpuLabel = "gpu=\"" + gpu.index() + "\"";
                    for (String name : List.of("DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE",
                            "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_SM_CLOCK",
                            "DCGM_FI_DEV_MEM_CLOCK")) {
                        assertThat(samples.keySet()).as(name + " " + labels)
                                .anyMatch(k -> k.startsWith(name + "{") && k.contains(gpuLabel)
                                        && k.contains("UUID=\"" + gpu.uuid() + "\""));
                    }
                    double fbUsedMiB = samples.entrySet().stream()
                            .filter(e -> e.getKey().startsWith("DCGM_FI_DEV_FB_USED{") && e.getKey().contains(gpuLabel))
                            .findFirst().orElseThrow().getValue();
                    assertThat(fbUsedMiB).isEqualTo((double) (gpu.memory().usedBytes() >> 20));
                }
                assertThat(samples).containsEntry("dlstation_gpu_telemetry_up", 1.0);
            }
        }
    }
}
