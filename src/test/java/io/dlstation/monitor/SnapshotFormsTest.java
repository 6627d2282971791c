package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.config.AlertRuleConfig;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.time.ManualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forms a snapshot takes: a JSON line, named scalars, the text view (plain and live). */
class SnapshotFormsTest {
    private final MonitorSnapshot snapshot = new Sampler(FakeGpuTelemetry.twoGpus(), new FakeHostTelemetry(),
            new ManualClock(Instant.parse("2025-06-01T10:00:00.250Z")), () -> 0).sample();

    @Test
    void jsonIsOneLineWithSchemaTimeHostAndGpus() throws Exception {
        StringWriter text = new StringWriter();
        new JsonLinesSink(new PrintWriter(text)).accept(snapshot);
        assertThat(text.toString()).endsWith("\n").doesNotContain("\n{").hasLineCount(1);
        assertThat(text.toString()).startsWith("{\"schema\":1,\"time\":\"2025-06-01T10:00:00.250Z\",\"host\":{");
        JsonNode json = new ObjectMapper().readTree(text.toString());
        assertThat(json.at("/host/hostname").asText()).isEqualTo("box01");
        assertThat(json.at("/host/coreUtilizationPercent").size()).isEqualTo(4);
        assertThat(json.at("/host/memoryUsedPercent").asDouble()).isEqualTo(50.0);
        assertThat(json.at("/host/loadAverage1m").asDouble()).isEqualTo(1.5);
        assertThat(json.at("/gpus").size()).isEqualTo(2);
        assertThat(json.at("/gpus/0/temperatureCelsius").asInt()).isEqualTo(88);
        assertThat(json.at("/gpus/0/memory/usedBytes").asLong()).isEqualTo(70L << 30);
        assertThat(json.at("/gpus/0/powerLimitWatts").asDouble()).isEqualTo(700.0);
        assertThat(json.at("/gpus/0/clocksEventReasonNames/0").asText()).isEqualTo("SwPowerCap");
        assertThat(json.at("/gpus/0/processes/0/command").asText()).contains("train.py");
        assertThat(json.at("/gpus/1/fanSpeedPercent").isNull()).as("a missing value is null").isTrue();
        assertThat(json.at("/driverVersion").asText()).isEqualTo("580.159.04");
    }

    @Test
    void scalarsNameEachKnownValueByGpuAndHost() {
        var scalars = SnapshotScalars.of(snapshot);
        assertThat(scalars).containsEntry("gpu0/temperature_celsius", 88.0)
                .containsEntry("gpu0/utilization_percent", 97.0)
                .containsEntry("gpu1/memory_used_bytes", (double) (1L << 30))
                .containsEntry("gpu0/power_limit_percent", 312.5 / 700 * 100)
                .containsEntry("gpu0/slowdown", 1.0)
                .containsEntry("host/memory_used_percent", 50.0)
                .containsEntry("host/load_average_1m", 1.5)
                .doesNotContainKey("gpu0/fan_speed_percent");
        assertThat(scalars.keySet()).first().isEqualTo("gpu0/temperature_celsius");
    }

    @Test
    void thePlainViewShowsGpusWithBarsTheirProcessesAndAlertsWithoutEscapes() {
        StringWriter text = new StringWriter();
        ActiveAlert firing = new ActiveAlert("gpu_hot", AlertRuleConfig.Severity.CRITICAL, "gpu0",
                ActiveAlert.State.FIRING, 88.0, Instant.parse("2025-06-01T09:59:00Z"));
        TerminalView view = new TerminalView(new PrintWriter(text), false, () -> 80, () -> List.of(firing), ZoneOffset.UTC);
        view.accept(snapshot);
        String out = text.toString();
        assertThat(out).doesNotContain("\u001b");
        assertThat(out).contains("box01  2025-06-01 10:00:00  driver 580.159.04  CUDA 13.0");
        assertThat(out).contains("CPU  25% [|||       ] 2.40 GHz  55C  load 1.5 1 0.5");
        assertThat(out).contains("MEM  50% [|||||     ] 32.0/64.0 GiB");
        assertThat(out).contains("[0] NVIDIA H100 80GB HBM3      88C  313 / 700 W  UTIL  97% [||||||||||]");
        assertThat(out).contains("70.0/80.0 GiB  SM 1980 MHz  MEM 2619 MHz  SwPowerCap");
        assertThat(out).contains("[1] NVIDIA H100 80GB HBM3      34C");
        assertThat(out).contains("   4242 70.0 GiB  /usr/bin/python3 train.py --batch 64");
        assertThat(out).contains("FIRING critical gpu_hot gpu0 = 88 since 09:59:00 (1m0s)");
        assertThat(out).endsWith("\n\n");
    }

    @Test
    void theLiveViewRedrawsInPlaceCutsToTheWidthAndRestoresTheCursor() {
        StringWriter text = new StringWriter();
        TerminalView view = new TerminalView(new PrintWriter(text), true, () -> 40, List::of, ZoneOffset.UTC);
        view.accept(snapshot);
        String first = text.toString();
        assertThat(first).startsWith("\u001b[?25l\u001b[H\u001b[2J");
        for (String line : first.split("\n")) {
            String visible = line.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "");
            assertThat(visible.length()).isLessThanOrEqualTo(40);
        }
        text.getBuffer().setLength(0);
        view.send(AlertEvent.of(AlertEvent.Status.FIRING, AlertRuleConfig.defaults().get(0), "gpu0", "box01", 0, null,
                null, 90.0, snapshot.time(), snapshot.time(), false));
        view.accept(snapshot);
        assertThat(text.toString()).startsWith("\u001b[H").doesNotContain("[2J").contains("FIRING critical gpu_temp");
        text.getBuffer().setLength(0);
        view.close();
        assertThat(text.toString()).isEqualTo("\u001b[0m\u001b[?25h");
    }

    @Test
    void missingValuesShowAsDashes() {
        GpuDevice bare = new GpuDevice(0, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, List.of(), List.of());
        MonitorSnapshot s = Snapshots.of(snapshot.time(), io.dlstation.host.HostMetrics.unknown(null), bare);
        List<SnapshotText.Line> lines = SnapshotText.render(s, List.of(), List.of(), ZoneOffset.UTC);
        assertThat(lines.get(0).text()).startsWith("unknown  2025-06-01");
        assertThat(lines).extracting(SnapshotText.Line::text).anySatisfy(l -> assertThat(l)
                .startsWith("[0] --").contains("--C", "-- / -- W", " --% [??????????]", "SM -- MHz"));
    }

    @Test
    void noGpuSaysWhy() {
        FakeGpuTelemetry none = new FakeGpuTelemetry();
        none.unavailable("NVML could not be loaded");
        MonitorSnapshot s = new Sampler(none, new FakeHostTelemetry(), new ManualClock(Instant.EPOCH), () -> 0).sample();
        assertThat(SnapshotText.render(s, List.of(), List.of(), ZoneOffset.UTC)).extracting(SnapshotText.Line::text)
                .contains("no GPU: NVML could not be loaded");
    }
}
