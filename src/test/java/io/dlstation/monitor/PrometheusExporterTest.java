package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.config.AlertRuleConfig;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.time.ManualClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics over HTTP: DCGM exporter names, labels, units; host metrics; a port in use. */
class PrometheusExporterTest {
    private static final String GPU0 = "{Hostname=\"box01\",UUID=\"GPU-00000000-aaaa-bbbb-cccc-dddddddddddd\","
            + "device=\"nvidia0\",gpu=\"0\",modelName=\"NVIDIA H100 80GB HBM3\",pci_bus_id=\"00000000:01:00.0\"}";

    @Test
    void servesDcgmNamesLabelsAndUnits() throws Exception {
        ActiveAlert firing = new ActiveAlert("gpu_temperature_high", AlertRuleConfig.Severity.CRITICAL, "gpu0",
                ActiveAlert.State.FIRING, 88.0, Instant.EPOCH);
        try (PrometheusExporter exporter = PrometheusExporter.start("127.0.0.1", 0,
                Exposition.registry(Exposition.twoGpus(), List.of(firing)))) {
            assertThat(exporter.port()).isPositive();
            assertThat(exporter.url()).isEqualTo("http://127.0.0.1:" + exporter.port() + "/metrics");
            String text = Exposition.get(exporter.url());
            Map<String, Double> samples = Exposition.samples(text);
            assertThat(text).contains("# TYPE DCGM_FI_DEV_GPU_UTIL gauge", "# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).",
                    "# TYPE DCGM_FI_DEV_FB_USED gauge", "# HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).");
            assertThat(samples)
                    .containsEntry("DCGM_FI_DEV_GPU_UTIL" + GPU0, 97.0)
                    .containsEntry("DCGM_FI_DEV_MEM_COPY_UTIL" + GPU0, 48.0)
                    .containsEntry("DCGM_FI_DEV_FB_USED" + GPU0, 71680.0)
                    .containsEntry("DCGM_FI_DEV_FB_FREE" + GPU0, 10240.0)
                    .containsEntry("DCGM_FI_DEV_FB_TOTAL" + GPU0, 81920.0)
                    .containsEntry("DCGM_FI_DEV_FB_RESERVED" + GPU0, 512.0)
                    .containsEntry("DCGM_FI_DEV_GPU_TEMP" + GPU0, 88.0)
                    .containsEntry("DCGM_FI_DEV_POWER_USAGE" + GPU0, 312.5)
                    .containsEntry("DCGM_FI_DEV_ENFORCED_POWER_LIMIT" + GPU0, 700.0)
                    .containsEntry("DCGM_FI_DEV_SM_CLOCK" + GPU0, 1980.0)
                    .containsEntry("DCGM_FI_DEV_MEM_CLOCK" + GPU0, 2619.0)
                    .containsEntry("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS" + GPU0, 4.0)
                    .containsEntry("DCGM_FI_DEV_PSTATE" + GPU0, 0.0)
                    .containsEntry("DCGM_FI_DEV_GPU_TEMP" + GPU0.replace("nvidia0", "nvidia1").replace("gpu=\"0\"", "gpu=\"1\"")
                            .replace("-00000000-", "-00000001-").replace(":01:00.0", ":02:00.0"), 34.0)
                    .containsEntry("dlstation_gpu_process_memory_used_bytes{UUID=\"GPU-00000000-aaaa-bbbb-cccc-dddddddddddd\","
                            + "command=\"python3\",gpu=\"0\",pid=\"4242\"}", (double) (70L << 30))
                    .containsEntry("dlstation_gpu_telemetry_up", 1.0)
                    .containsEntry("dlstation_host_cpu_utilization_ratio", 0.25)
                    .containsEntry("dlstation_host_cpu_core_utilization_ratio{cpu=\"3\"}", 0.4)
                    .containsEntry("dlstation_host_cpu_frequency_hertz", 2.4e9)
                    .containsEntry("dlstation_host_cpu_temperature_celsius", 55.0)
                    .containsEntry("dlstation_host_memory_total_bytes", (double) (64L << 30))
                    .containsEntry("dlstation_host_memory_used_bytes", (double) (32L << 30))
                    .containsEntry("dlstation_host_swap_used_bytes", (double) (1L << 30))
                    .containsEntry("dlstation_host_load1", 1.5)
                    .containsEntry("dlstation_monitor_last_sample_timestamp_seconds", 1.7487720E9)
                    .containsEntry("dlstation_alerts{alertname=\"gpu_temperature_high\",alertstate=\"firing\","
                            + "severity=\"critical\",subject=\"gpu0\"}", 1.0)
                    .containsKey("process_cpu_seconds_total");
            assertThat(samples.keySet()).as("a missing reading is left out").noneMatch(k -> k.startsWith("DCGM_FI_DEV_FAN_SPEED"));
        }
    }

    @Test
    void beforeTheFirstSampleThereIsNoGpuMetricAndWithoutNvmlTelemetryIsDown() throws Exception {
        LatestSnapshot latest = new LatestSnapshot();
        try (PrometheusExporter exporter = PrometheusExporter.start("127.0.0.1", 0, Exposition.registry(latest, List.of()))) {
            assertThat(Exposition.samples(Exposition.get(exporter.url())).keySet())
                    .noneMatch(k -> k.startsWith("DCGM_") || k.startsWith("dlstation_"));
            FakeGpuTelemetry none = new FakeGpuTelemetry();
            none.unavailable("no driver");
            latest.accept(new Sampler(none, new FakeHostTelemetry(), new ManualClock(Instant.EPOCH), () -> 0).sample());
            Map<String, Double> samples = Exposition.samples(Exposition.get(exporter.url()));
            assertThat(samples).containsEntry("dlstation_gpu_telemetry_up", 0.0).containsKey("dlstation_host_load1");
            assertThat(samples.keySet()).noneMatch(k -> k.startsWith("DCGM_"));
        }
    }

    @Test
    void aPortInUseIsAUserErrorNamingTheFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> PrometheusExporter.start("127.0.0.1", port, Exposition.registry(new LatestSnapshot(),
                    List.of())))
                    .isInstanceOf(DlstationException.class)
                    .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.BAD_INPUT))
                    .hasMessageContaining("--prometheus-port " + port)
                    .hasMessageContaining("pick another port");
        }
    }

    @Test
    void programLabelsKeepOnlyTheProgramName() {
        assertThat(GpuCollector.program("/opt/conda/bin/python3 -m torch.distributed.run train.py")).isEqualTo("python3");
        assertThat(GpuCollector.program(null)).isEmpty();
        assertThat(GpuCollector.program("java")).isEqualTo("java");
    }
}
