package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.ServeFixtures;
import io.dlstation.serve.ServedModel;
import io.dlstation.testing.Await;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stopping server (what SIGTERM does) answers every request it accepted before it goes. */
class ServeDrainTest {
    @TempDir
    Path repository;

    private ModelServer start(Duration drainTimeout) {
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, "tiny", "max_batch_size: 8\nmax_batch_delay_ms: 1\nwarmup_batches: 0\n");
        ModelServer server = ModelServer.start(new HttpSettings("127.0.0.1", 0, 1 << 20, 429, 1, null, drainTimeout),
                new ModelRepository(repository, Map.of()), List.of(Device.cpu()), new PrometheusRegistry());
        Await.result(server.startup(), Duration.ofMinutes(5), "the models to load");
        return server;
    }

    /** A keep-alive connection that has had one answer (200, not told to close). */
    private static Socket keptAlive(int port, byte[] request) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        HttpWire.Answer first = post(socket, port, request);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.close()).as("Connection: close before the drain").isFalse();
        return socket;
    }

    private static HttpWire.Answer post(Socket socket, int port, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(HttpWire.postHead(port, "/v2/models/tiny/infer", body.length));
        out.write(body);
        out.flush();
        return HttpWire.read(new BufferedInputStream(socket.getInputStream()));
    }

    @Test
    void drainingFinishesAcceptedRequestsRefusesNewOnesAndStops() throws Exception {
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, "waiting",
                "max_batch_size: 8\nmax_batch_delay_ms: 60000\nqueue_size: 3\nwarmup_batches: 0\n");
        ModelServer server = ModelServer.start(new HttpSettings("127.0.0.1", 0, 1 << 20, 503, 1, null,
                Duration.ofSeconds(30)), new ModelRepository(repository, Map.of()), List.of(Device.cpu()),
                new PrometheusRegistry());
        HttpCalls http = new HttpCalls(server.port());
        Await.result(server.startup(), Duration.ofMinutes(5), "the models to load");
        assertThat(server.status().isReady()).isTrue();
        List<CompletableFuture<HttpCalls.Answer>> accepted = List.of(1, 2, 3).stream()
                .map(n -> CompletableFuture.supplyAsync(() -> http.post("/v2/models/waiting/infer",
                        ServeHttpTest.ones("waiting", n, "")))).toList();
        ServedModel model = server.registry().readyModels().get("waiting");
        Await.until(() -> model.queueDepth() >= 3, Duration.ofSeconds(60), "3 requests queued");

        HttpCalls.Answer full = http.post("/v2/models/waiting/infer", ServeHttpTest.ones("waiting", 1, ""));
        assertThat(full.status()).as("--queue-full-status 503").isEqualTo(503);
        assertThat(full.header("Retry-After")).isEqualTo("1");
        assertThat(full.json().get("error").asText()).contains("3 requests queued", "queue_size");

        server.status().draining(); // the first thing a drain does; the queued requests are still waiting
        HttpCalls.Answer late = http.post("/v2/models/waiting/infer", ServeHttpTest.ones("waiting", 1, ""));
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.header("Retry-After")).isEqualTo("1");
        assertThat(late.json().get("error").asText()).isEqualTo("the server is shutting down");
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(503);
        assertThat(http.get("/v2/health/live").status()).isEqualTo(200);

        server.drain();

        assertThat(server.status().isReady()).isFalse();
        assertThat(server.status().whyNotReady()).isEqualTo("the server is shutting down");
        for (int i = 0; i < 3; i++) {
            HttpCalls.Answer answer = Await.result(accepted.get(i), Duration.ofMinutes(2), "answer " + i);
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.json().at("/outputs/0/shape").toString()).isEqualTo("[" + (i + 1) + ",5]");
        }
        assertThat(server.registry().readyModels()).isEmpty();
        assertThatThrownBy(() -> http.get("/v2/health/live")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void aKeepAliveConnectionIdleWhenTheDrainBeginsIsAnsweredThenClosedAndTheDrainEndsLongBeforeItsTimeout() throws Exception {
        ModelServer server = start(Duration.ofSeconds(60));
        int port = server.port();
        byte[] request = ServeHttpTest.ones("tiny", 1, "").getBytes(StandardCharsets.UTF_8);
        try (Socket idle = keptAlive(port, request)) {
            CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(server::drain);
            awaitDraining(server);

            HttpWire.Answer refused = post(idle, port, request);

            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.close()).as("Connection: close").isTrue();
            assertThat(refused.retryAfter()).isEqualTo("1");
            assertThat(refused.body()).contains("the server is shutting down");
            assertThat(idle.getInputStream().read()).as("the server closed the connection after that answer")
                    .isEqualTo(-1);
            assertThat(drain.get(30, TimeUnit.SECONDS)).as("connections closed by the drain timeout").isZero();
        } finally {
            server.close();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void connectionsStillOpenWhenTheDrainTimeRunsOutAreClosedThen() throws Exception {
        Duration drainTimeout = Duration.ofSeconds(1);
        ModelServer server = start(drainTimeout);
        byte[] request = ServeHttpTest.ones("tiny", 1, "").getBytes(StandardCharsets.UTF_8);
        try (Socket idle = keptAlive(server.port(), request)) {
            long start = System.nanoTime();

            int cut = server.drain();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(drainTimeout);
            assertThat(cut).isEqualTo(1);
            assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        } finally {
            server.close();
        }
    }

    private static void awaitDraining(ModelServer server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!server.status().isDraining()) {
            assertThat(System.nanoTime()).as("draining within 30 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
