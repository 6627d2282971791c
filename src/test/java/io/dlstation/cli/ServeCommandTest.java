package io.dlstation.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.serve.GreyPng;
import io.dlstation.serve.ServeFixtures;
import io.dlstation.serve.http.ModelServer;
import io.dlstation.testing.Await;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dlstation serve} and {@code dlstation bench serve} end to end on the CPU engine. */
class ServeCommandTest {
    @TempDir
    static Path repository;

    @TempDir
    Path tmp;


    @BeforeAll
    static void models() {
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, "tiny", "max_batch_size: 8\nmax_batch_delay_ms: 1\nwarmup_batches: 1\n");
    }

    private CliContext context() {
        return CliRun.withoutGpu(tmp);
    }

    private CliRun cli(String... args) {
        return CliRun.of(context(), args);
    }

    /** How long the CLI may take to start or stop a server: a guard against hanging, not a timing. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    /** A server started by the CLI, stopped through its stop trigger as a signal would. */
    private final class RunningServe implements AutoCloseable {
        final CompletableFuture<ModelServer> started = new CompletableFuture<>();
        final ServeCommand command = new ServeCommand(context(), new ServeCommand.Hooks(stop -> List.of("test"),
                started::complete));
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> exit;

        RunningServe(String... args) {
            CommandLine cli = new CommandLine(command);
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new StringWriter(), true));
            cli.setExecutionExceptionHandler((e, line, parsed) -> {
                line.getErr().println("dlstation: " + e.getMessage());
                return Cli.exitCode(e);
            });
            exit = CompletableFuture.supplyAsync(() -> cli.execute(args));
            exit.whenComplete((code, e) -> started.completeExceptionally(new IllegalStateException("exited " + code)));
        }

        /** Waits for the command to end and returns its exit code. */
        int exitCode() {
            return Await.result(exit, PATIENCE, "dlstation serve to exit");
        }

        ModelServer ready() {
            ModelServer server = Await.result(started, PATIENCE, "the server to start");
            Await.result(server.startup(), PATIENCE, "the models to load");
            return server;
        }

        @Override
        public void close() {
            command.stop.complete(null);
            exitCode();
        }
    }

    @Test
    void serveRunsUntilStoppedAndBenchServeMeasuresIt() throws IOException, InterruptedException {
        Path portFile = tmp.resolve("port");
        RunningServe serve = new RunningServe("--model-repository", repository.toString(), "--port", "0",
                "--device", "cpu", "--port-file", portFile.toString(), "--drain-timeout", "5s",
                "--max-image-pixels", "1000");
        ModelServer server = serve.ready();
        assertThat(Files.readString(portFile).strip()).isEqualTo(Integer.toString(server.port()));
        String url = "http://127.0.0.1:" + server.port();
        HttpResponse<String> image = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                + "/predict")).header("Content-Type", "image/png").POST(BodyPublishers.ofByteArray(
                GreyPng.black(40, 26))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(image.statusCode()).as(image.body()).isEqualTo(413);
        assertThat(image.body()).contains("40x26 (1040 pixels", "limit of 1000 pixels");
        Path closed = tmp.resolve("closed.json");
        String metrics = new String(server.metrics().scrape(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(metrics).contains("dlstation_serve_model_ready{model=\"tiny\"} 1", "dlstation_gpu_telemetry_up 0");

        CliRun bench = cli("bench", "serve", "--url", url, "--model", "tiny", "--concurrency", "1,4", "--duration", "400ms",
                "--warmup", "100ms", "--out", closed.toString());

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("concurrency", "p99.9 ms", "Wrote " + closed,
                "Inside the server (means from its /metrics over the measured time)", "batch size");
        JsonNode report = new ObjectMapper().readTree(closed.toFile());
        assertThat(report.get("schema").asInt()).isEqualTo(1);
        assertThat(report.get("mode").asText()).isEqualTo("closed");
        assertThat(report.get("points")).hasSize(2);
        for (JsonNode point : report.get("points")) {
            assertThat(point.get("ok").asLong()).isPositive().isEqualTo(point.get("requests").asLong());
            assertThat(point.at("/latency_ms/p50").asDouble()).isPositive();
            assertThat(point.at("/latency_ms/p99_9").asDouble()).isGreaterThanOrEqualTo(point.at("/latency_ms/p50").asDouble());
            assertThat(point.at("/server/requests").asLong()).isPositive();
            assertThat(point.at("/server/request_ms").asDouble()).isGreaterThanOrEqualTo(point.at("/server/batch_ms").asDouble());
            assertThat(point.at("/server/batch_size").asDouble()).isBetween(1.0, 8.0);
            double halves = point.at("/steadiness/first_half_requests_per_second").asDouble()
                    + point.at("/steadiness/second_half_requests_per_second").asDouble();
            assertThat(halves / 2).isCloseTo(point.get("requests_per_second").asDouble(), within(0.5));
            assertThat(point.at("/steadiness/steady").isBoolean()).isTrue();
        }

        Path open = tmp.resolve("open.json");
        CliRun openLoop = cli("bench", "serve", "--url", url, "--model", "tiny", "--rate", "50", "--concurrency", "4",
                "--duration", "400ms", "--warmup", "0s", "--json-input", "--json", "--out", open.toString());
        assertThat(openLoop.exitCode()).as(openLoop.err()).isZero();
        JsonNode openReport = new ObjectMapper().readTree(open.toFile());
        assertThat(openReport.get("mode").asText()).isEqualTo("open");
        assertThat(openReport.at("/points/0/requests").asLong()).isBetween(10L, 30L);
        assertThat(openLoop.out()).contains("\"rate\" : 50.0");

        serve.close();
        assertThat(serve.exitCode()).isZero();
        assertThat(serve.err.toString()).contains("listening on " + url, "ready after", "s of loading and warm-up",
                "draining", "stopped");
    }

    @Test
    void benchServeSamplesTheServersMetricsDuringARunAndJudgesTheirGrowth() throws IOException {
        RunningServe serve = new RunningServe("--model-repository", repository.toString(), "--port", "0",
                "--device", "cpu", "--drain-timeout", "5s");
        String url = "http://127.0.0.1:" + serve.ready().port();
        Path out = tmp.resolve("soak.json");

        CliRun soak = cli("bench", "serve", "--url", url, "--model", "tiny", "--rate", "40", "--concurrency", "4",
                "--duration", "2s", "--warmup", "500ms", "--sample-server-metrics", "200ms", "--out", out.toString());

        assertThat(soak.exitCode()).as(soak.err()).isZero();
        assertThat(soak.err()).contains("server at 0 s: heap ", " MiB, RSS ", "GPU -");
        assertThat(soak.out()).contains("Server after the warm-up:", "heap floor", "process RSS",
                "GPU memory used  not exported by the server", "0 without a 200 at the client, 0 answered 400+",
                "Verdict: ");
        JsonNode metrics = new ObjectMapper().readTree(out.toFile()).get("server_metrics");
        assertThat(metrics.get("interval_s").asDouble()).isEqualTo(0.2);
        assertThat(metrics.get("scrape_failures").asInt()).isZero();
        JsonNode samples = metrics.get("samples");
        assertThat(samples.size()).isBetween(5, 40);
        for (JsonNode sample : samples) {
            assertThat(sample.get("heap_used_bytes").asDouble()).isPositive();
            assertThat(sample.get("rss_bytes").asDouble()).isGreaterThan(sample.get("heap_used_bytes").asDouble() / 4);
            assertThat(sample.get("gpu_used_bytes").isNull()).isTrue();
            assertThat(sample.get("failed_requests").asLong()).isZero();
        }
        long answered = samples.get(samples.size() - 1).get("requests").asLong() - samples.get(0).get("requests").asLong();
        assertThat(answered).as("40 requests/s for 2.5 s, counted by the server").isBetween(60L, 110L);
        JsonNode verdict = metrics.get("verdict");
        assertThat(verdict.get("samples_after_warmup").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(verdict.get("client_errors").asLong()).isZero();
        assertThat(verdict.get("server_errors").asLong()).isZero();
        assertThat(verdict.at("/heap_floor/start").asDouble()).isPositive();
        assertThat(verdict.at("/heap_floor/allowed").asDouble()).isGreaterThanOrEqualTo(16 * 1024 * 1024);
        assertThat(verdict.at("/gpu_used/start").isNull()).isTrue();
        assertThat(verdict.get("steady").asBoolean()).isEqualTo(verdict.get("findings").isEmpty());

        serve.close();
        assertThat(serve.exitCode()).isZero();
    }

    @Test
    void benchServeInProcessMeasuresTheModelWithoutHttp() throws IOException {
        Path out = tmp.resolve("ceiling.json");
        CliRun r = cli("bench", "serve", "--in-process", "--model-repository", repository.toString(), "--model", "tiny",
                "--batch-sizes", "1,4", "--iterations", "3", "--warmup-iterations", "1", "--device", "cpu",
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("pipeline samples/s", "forward samples/s");
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertThat(report.get("kind").asText()).isEqualTo("serve-in-process");
        assertThat(report.get("points")).hasSize(2);
        assertThat(report.at("/points/1/batchSize").asInt()).isEqualTo(4);
        assertThat(report.at("/points/1/pipelineSamplesPerSecond").asDouble()).isPositive();

        // UINT8 pixels with mean and std: normalised on the device as the server does, for both figures
        Path folder = ServeFixtures.tinyCnnPixels(tmp.resolve("pixel-models"), "pixels", "max_batch_size: 4\n");
        Path pixelsOut = tmp.resolve("pixels.json");
        CliRun pixels = cli("bench", "serve", "--in-process", "--model-folder", folder.toString(), "--model", "pixels",
                "--batch-sizes", "2", "--iterations", "2", "--warmup-iterations", "1", "--device", "cpu",
                "--out", pixelsOut.toString());
        assertThat(pixels.exitCode()).as(pixels.err()).isZero();
        JsonNode pixelsReport = new ObjectMapper().readTree(pixelsOut.toFile());
        assertThat(pixelsReport.at("/points/0/forwardSamplesPerSecond").asDouble()).isPositive();
        assertThat(pixelsReport.at("/points/0/pipelineSamplesPerSecond").asDouble()).isPositive();
    }

    @Test
    void aModelThatCannotLoadStopsTheServerWithItsReason() throws IOException {
        Path broken = tmp.resolve("repo");
        ServeFixtures.tinyCnn(broken, "broken", "max_batch_size: 4\n");
        Files.delete(broken.resolve("broken").resolve("tiny_cnn.pt"));
        RunningServe serve = new RunningServe("--model-repository", broken.toString(), "--port", "0", "--device", "cpu");

        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err.toString()).contains("file tiny_cnn.pt is not in");
    }

    @Test
    void usageErrorsNameTheFlag() {
        CliRun none = cli("serve", "--device", "cpu");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no models: give --model-repository DIR or --model NAME=PATH");
        CliRun status = cli("serve", "--model-repository", repository.toString(), "--queue-full-status", "418");
        assertThat(status.exitCode()).isEqualTo(2);
        assertThat(status.err()).contains("--queue-full-status 418: use 429 or 503");
        CliRun pixels = cli("serve", "--model-repository", repository.toString(), "--max-image-pixels", "0");
        assertThat(pixels.exitCode()).isEqualTo(2);
        assertThat(pixels.err()).contains("--max-image-pixels 0 is too small; use 1 or more");
        CliRun sampling = cli("bench", "serve", "--model", "tiny", "--sample-server-metrics", "5ms");
        assertThat(sampling.exitCode()).isEqualTo(2);
        assertThat(sampling.err()).contains("--sample-server-metrics 5ms is too short; use 10ms or more");
        CliRun unreachable = cli("bench", "serve", "--url", "http://127.0.0.1:1", "--model", "tiny", "--duration", "1s");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach http://127.0.0.1:1", "dlstation serve");
    }
}
