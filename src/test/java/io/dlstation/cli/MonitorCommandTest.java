package io.dlstation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dlstation.engine.PyTorchInstallLocator;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.monitor.FakeGpuTelemetry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dlstation monitor} end to end, with fake GPUs (or none) and the real host. */
class MonitorCommandTest {
    @TempDir
    Path tmp;

    private final ObjectMapper json = new ObjectMapper();
    private FakeGpuTelemetry gpus = FakeGpuTelemetry.twoGpus();


    private CliRun run(String... args) {
        return run(() -> gpus, args);
    }

    private CliRun run(Supplier<GpuTelemetry> telemetry, String... args) {
        CliContext context = new CliContext(Map.of(), tmp, new PyTorchInstallLocator(), telemetry);
        return CliRun.of(context, args);
    }

    private void config(String yaml) throws IOException {
        Files.writeString(tmp.resolve("dlstation.yaml"), yaml);
    }

    @Test
    void onceJsonPrintsOneSnapshotLine() throws IOException {
        CliRun r = run("monitor", "--once", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).hasLineCount(1);
        JsonNode snapshot = json.readTree(r.out());
        assertThat(snapshot.get("schema").asInt()).isEqualTo(1);
        assertThat(snapshot.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(snapshot.at("/host/memoryTotalBytes").asLong()).as("the real host").isPositive();
        assertThat(snapshot.at("/host/coreUtilizationPercent").size()).isPositive();
        assertThat(snapshot.at("/gpus").size()).isEqualTo(2);
        assertThat(snapshot.at("/gpus/0/name").asText()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(gpus.closed()).as("the NVML session is closed").isTrue();
    }

    @Test
    void withoutNvmlTheSnapshotSaysWhy() throws IOException {
        CliRun r = run(() -> GpuTelemetry.open("libnvidia-ml-absent-in-tests.so.1"), "monitor", "--once", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode snapshot = json.readTree(r.out());
        assertThat(snapshot.get("gpus")).isEmpty();
        assertThat(snapshot.get("gpuProblem").asText()).contains("libnvidia-ml-absent-in-tests.so.1");
    }

    @Test
    void onceWithoutJsonPrintsThePlainView() {
        CliRun r = run("monitor", "--once");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("[0] NVIDIA H100 80GB HBM3", "[1] NVIDIA H100", "python3 train.py", "CPU ", "MEM ")
                .doesNotContain("\u001b");
    }

    @Test
    void aCountOfSamplesPrintsThatManyLinesAndFiresRulesWithoutWaiting() throws IOException {
        config("monitor:\n  rules:\n    - {name: hot, metric: gpu_temperature_celsius, op: \">\", threshold: 85, for: 0s}\n");
        Path log = tmp.resolve("logs/monitor.log");
        CliRun r = run("monitor", "--json", "--count", "3", "--interval", "20ms", "--log", log.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("{\"schema\":1,"));
        assertThat(r.err()).containsOnlyOnce("dlstation monitor: FIRING warning hot on ").contains(" gpu0 ");
        List<String> logged = Files.readAllLines(log);
        assertThat(logged).hasSize(4);
        assertThat(logged).filteredOn(l -> l.startsWith("{\"alert\":")).singleElement().asString()
                .contains("\"rule\":\"hot\"", "\"status\":\"firing\"");
    }

    @Test
    void thePlainViewRepeatsWithABlankLineBetweenSnapshots() {
        CliRun r = run("monitor", "--count", "2", "--interval", "10ms", "--no-alerts");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().split("\n\n")).hasSize(2);
        assertThat(r.out()).doesNotContain("\u001b");
    }

    @Test
    void badInputIsExitTwoNamingTheField() throws IOException {
        assertBad(run("monitor", "--interval", "-1s", "--once"), "--interval -1s must be positive");
        assertBad(run("monitor", "--interval", "fast", "--once"), "--interval 'fast' is not a duration");
        assertBad(run("monitor", "--webhook", "file:///tmp/x", "--once"), "--webhook 'file:///tmp/x' is not an http(s) URL");
        assertBad(run("monitor", "--prometheus-port", "70000"), "--prometheus-port 70000 is not a port");
        assertBad(run("monitor", "--once", "--prometheus-port", "9400"), "--prometheus-port and --count need");
        assertBad(run("monitor", "--once", "--alerts-test"), "each run alone");
        assertBad(run("monitor", "--count", "-2"), "--count -2");
        assertBad(run("monitor", "--log-max-size", "huge", "--once"), "--log-max-size 'huge' is not a size");
        config("monitor:\n  rules:\n    - metric: gpu_temp\n      op: \">\"\n      threshold: 85\n");
        assertBad(run("monitor", "--once"), "line 3, column 15: field 'monitor.rules[0].metric': unknown metric 'gpu_temp'");
        config("monitor:\n  rules:\n    - metric: gpu_temperature_celsius\n      op: \"!=\"\n      threshold: 85\n");
        assertBad(run("monitor", "--once"), "field 'monitor.rules[0].op': unknown op '!='");
        config("monitor:\n  interval: -5s\n");
        assertBad(run("monitor", "--once"), "field 'monitor.interval': -5s must be positive");
        config("monitor:\n  notifiers:\n    webhook:\n      url: ftp://example.com/hook\n");
        assertBad(run("monitor", "--once"), "monitor.notifiers.webhook", "url 'ftp://example.com/hook' is not an http(s) URL");
    }

    @Test
    void aPrometheusPortInUseIsExitTwo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CliRun r = run("monitor", "--json", "--prometheus-port", Integer.toString(taken.getLocalPort()));
            assertBad(r, "--prometheus-port " + taken.getLocalPort(), "pick another port");
            assertThat(r.out()).as("nothing sampled").isEmpty();
        }
    }

    private static void assertBad(CliRun r, String... fragments) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("dlstation: ").contains(fragments).doesNotContain("Exception");
    }

    @Test
    void alertsTestSendsOneEventPerRuleToStderrLogAndWebhook() throws IOException {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            Path log = tmp.resolve("monitor.log");
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            CliRun r = run("monitor", "--alerts-test", "--webhook", url, "--log", log.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("Sent 4 test alert(s) to stderr, log " + log + ", webhook " + url
                    + "; webhook: 4 delivered, 0 not");
            assertThat(r.err().lines().filter(l -> l.startsWith("dlstation monitor: TEST FIRING"))).hasSize(4);
            assertThat(r.err()).contains("TEST FIRING critical gpu_temperature_high on ", " gpu0 (NVIDIA H100 80GB HBM3): "
                    + "gpu_temperature_celsius > 85 (a test event, not a reading)");
            assertThat(Files.readAllLines(log)).hasSize(4);
            assertThat(bodies).hasSize(4);
            List<String> rules = bodies.stream().map(b -> readTree(b).get("rule").asText()).toList();
            assertThat(rules).containsExactlyInAnyOrder("gpu_temperature_high", "gpu_utilization_low", "gpu_memory_high",
                    "host_memory_high");
            assertThat(bodies).allSatisfy(b -> assertThat(readTree(b).get("test").asBoolean()).isTrue());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void alertsTestFailsWhenTheWebhookDoesNotTakeThem() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            CliRun r = run("monitor", "--alerts-test", "--webhook", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).contains("webhook: 0 delivered, 4 not");
            assertThat(r.err()).contains("HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void benchSamplingPrintsWhatASampleCosts() throws IOException {
        CliRun table = run("monitor", "--bench-sampling", "20");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("Sampling bench: 20 samples, 2 GPU(s)", "GPU read (all NVML calls)  mean",
                "per GPU", "host read", "process CPU per sample");
        CliRun r = run("monitor", "--bench-sampling", "20", "--json");
        JsonNode result = json.readTree(r.out());
        assertThat(result.get("samples").asInt()).isEqualTo(20);
        assertThat(result.get("gpuCount").asInt()).isEqualTo(2);
        assertThat(result.get("gpuMeanMillis").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(result.get("gpuP99Millis").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(result.has("cpuMillisPerSample")).isTrue();
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
