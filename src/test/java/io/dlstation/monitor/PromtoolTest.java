package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.time.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check metrics} on what the exporter serves. The DCGM exporter's label
 * {@code modelName} is camelCase, which promtool's linter flags (it flags NVIDIA's own exporter the
 * same way); it is kept so dashboards work unchanged, and it must be the only finding. Without the
 * label the exposition passes with no finding at all.
 */
class PromtoolTest {
    static final String CAMEL_CASE = "label names should be written in 'snake_case' not 'camelCase'";

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsPromtool() {
        ExternalTools.assumeInstalled("promtool");
    }

    record Result(int exitCode, String output) {}

    private Result check(String exposition) throws IOException, InterruptedException {
        Path input = Files.writeString(tmp.resolve("metrics.prom"), exposition);
        Process p = new ProcessBuilder(ExternalTools.path("promtool").toString(), "check", "metrics")
                .redirectInput(input.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static String serve(LatestSnapshot latest, List<ActiveAlert> active) throws Exception {
        try (PrometheusExporter exporter = PrometheusExporter.start("127.0.0.1", 0, Exposition.registry(latest, active))) {
            return Exposition.get(exporter.url());
        }
    }

    @Test
    void theExpositionParsesAndItsOnlyLintFindingIsTheDcgmModelNameLabel() throws Exception {
        Result result = check(serve(Exposition.twoGpus(), List.of(new ActiveAlert("gpu_temperature_high",
                io.dlstation.config.AlertRuleConfig.Severity.CRITICAL, "gpu0", ActiveAlert.State.FIRING, 88.0,
                java.time.Instant.EPOCH))));
        assertThat(result.exitCode()).as(result.output()).isEqualTo(3); // lint findings only; 1 would be a parse error
        assertThat(result.output()).contains("DCGM_FI_DEV_GPU_UTIL " + CAMEL_CASE);
        for (String line : result.output().strip().split("\n")) {
            if (!line.isBlank()) {
                assertThat(line).as(result.output()).startsWith("DCGM_FI_DEV_").endsWith(CAMEL_CASE);
            }
        }
    }

    @Test
    void withoutTheModelNameLabelItPassesClean() throws Exception {
        String exposition = serve(Exposition.twoGpus(), List.of()).replaceAll(",modelName=\"[^\"]*\"", "");
        assertThat(exposition).contains("DCGM_FI_DEV_GPU_UTIL{").doesNotContain("modelName");
        Result result = check(exposition);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isBlank();
    }

    @Test
    void aHostWithoutGpusPassesClean() throws Exception {
        FakeGpuTelemetry none = new FakeGpuTelemetry();
        none.unavailable("no driver");
        LatestSnapshot latest = new LatestSnapshot();
        latest.accept(new Sampler(none, new FakeHostTelemetry(), new ManualClock(java.time.Instant.EPOCH), () -> 0)
                .sample());
        Result result = check(serve(latest, List.of()));
        assertThat(result.exitCode()).as(result.output()).isZero();
    }
}
