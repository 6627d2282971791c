package io.dlstation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.engine.PyTorchInstallLocator;
import io.dlstation.gpu.GpuTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, with the real engine on the CPU. */
class CliTest {
    @TempDir
    Path tmp;


    private CliRun run(String... args) {
        return run(Map.of(), args);
    }

    private CliRun run(Map<String, String> env, String... args) {
        // No GPU telemetry, whatever machine the tests run on, so the CPU build is always chosen.
        CliContext context = new CliContext(env, tmp, new PyTorchInstallLocator(),
                () -> GpuTelemetry.open("libnvidia-ml-absent-in-tests.so.1"));
        return CliRun.of(context, args);
    }

    @Test
    void infoJsonIsOneObjectWithEverySection() throws IOException {
        CliRun r = run("info", "--json", "--device", "cpu");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("schema").asInt()).isEqualTo(1);
        for (String field : new String[] {"os", "kernel", "cpuModel", "cores", "memoryBytes"}) {
            assertThat(json.get("host").has(field)).as("host." + field).isTrue();
        }
        assertThat(json.at("/host/cores").asInt()).isPositive();
        assertThat(json.at("/jvm/version").asText()).isNotBlank();
        assertThat(json.at("/jvm/vendor").asText()).isNotBlank();
        JsonNode engine = json.get("engine");
        assertThat(engine.get("name").asText()).isEqualTo("PyTorch");
        assertThat(engine.get("version").asText()).isEqualTo("2.7.1");
        assertThat(engine.get("flavor").asText()).isEqualTo("cpu");
        assertThat(engine.get("libtorchPath").asText()).isNotBlank();
        assertThat(engine.get("gpuCount").asInt()).isZero();
        assertThat(engine.has("cudnn")).isTrue();
        assertThat(json.get("gpus").isArray()).isTrue();
        assertThat(json.get("gpus")).isEmpty();
        assertThat(json.get("nvmlError").asText()).contains("libnvidia-ml-absent-in-tests.so.1");
        assertThat(json.get("warnings").toString()).contains("No NVIDIA GPU visible").contains("bfloat16");
    }

    @Test
    void infoPrintsATableByDefault() {
        CliRun r = run("info", "--device", "cpu");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Host", "CPU", "Engine   PyTorch 2.7.1 (cpu)", "Driver", "Warnings");
    }

    @Test
    void versionAndHelpListTheProductAndEveryVerb() {
        CliRun version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).contains("dlstation ", "DJL 0.36.0");
        CliRun help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("info", "bench", "train", "serve", "monitor", "maintain", "quickstart");
    }

    @Test
    void serveHelpSaysItUsesEveryGpuWhereOtherVerbsTakeTheFirst() {
        CliRun serve = run("serve", "--help");
        assertThat(serve.exitCode()).isZero();
        assertThat(serve.out().replaceAll("\\s+", " "))
                .contains("a list such as gpu:0,gpu:1, or all", "default: every GPU the engine sees, else the CPU")
                .doesNotContain("the first GPU");
        CliRun info = run("info", "--help");
        assertThat(info.out().replaceAll("\\s+", " ")).contains("default auto: the first GPU, else the CPU");
    }

    @Test
    void serveWithAModelThatIsNotNamePathIsAUsageError() {
        CliRun r = run("serve", "--model", "resnet50");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--model resnet50: write NAME=PATH");
    }

    @Test
    void unknownVerbsFlagsAndNoVerbAreUsageErrors() {
        CliRun verb = run("frobnicate");
        assertThat(verb.exitCode()).isEqualTo(2);
        assertThat(verb.err()).contains("frobnicate").contains("Usage: dlstation");
        CliRun flag = run("info", "--bogus");
        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.err()).contains("Unknown option: '--bogus'").contains("Usage: dlstation info");
        CliRun none = run();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no verb given");
    }

    @Test
    void aPyTorchHomeWithoutLibtorchIsOneLineAndExitTwo() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("not-torch"));
        CliRun r = run("info", "--pytorch-home", empty.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n")
                .contains(empty.toString()).contains("no libtorch.so").contains("torch/lib");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void theEnvironmentVariableWorksLikeTheFlag() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("env-not-torch"));
        CliRun r = run(Map.of("DLSTATION_PYTORCH_HOME", empty.toString()), "info");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(empty.toString());
    }

    @Test
    void aCorruptConfigNamesFileLineAndFieldAndExitsTwo() throws IOException {
        Path config = Files.writeString(tmp.resolve("bad.yaml"), "engine:\n  device: cpu\n  colour: blue\n");
        CliRun r = run("info", "--config", config.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(config.toString(), "line 3", "engine.colour");
    }

    @Test
    void aBadDeviceIsAUsageError() {
        CliRun r = run("info", "--device", "tpu");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("device 'tpu'").contains("auto, cpu, gpu or gpu:N");
    }

    @Test
    void quickstartReportsTrainsServesAndAsks() throws IOException {
        CliRun r = run("quickstart", "--device", "cpu", "--steps", "5", "--batch-size", "8", "--epochs", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("1. This machine", "2. Forward and backward on cpu()", "falling", "process-rss",
                "3. A short training benchmark", "results         ", "4. Train a small CNN on the built-in shapes",
                "asked           20 unseen shapes as PNG to /predict",
                "dlstation_serve_requests_total{model=\"shapes\",status=\"200\"} 20.0", "stopped         drained");
        assertThat(tmp.resolve("quickstart-runs")).isDirectory();
        try (var runs = java.nio.file.Files.list(tmp.resolve("quickstart-runs"))) {
            Path run = runs.findFirst().orElseThrow();
            assertThat(run.resolve("bench/results.json")).isNotEmptyFile();
            assertThat(run.resolve("train/model/model.yaml")).isNotEmptyFile();
        }
    }

    @Test
    void quickstartRefusesNonsenseSizes() {
        CliRun r = run("quickstart", "--device", "cpu", "--steps", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--steps must be >= 2");
    }
}
