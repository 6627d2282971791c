package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.ServeFixtures;
import io.dlstation.serve.ServedModel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stopping server (what SIGTERM does) answers every request it accepted before it goes. */
class ServeDrainTest {
    @TempDir
    Path repository;

    @Test
    void drainingFinishesAcceptedRequestsRefusesNewOnesAndStops() throws Exception {
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, "waiting",
                "max_batch_size: 8\nmax_batch_delay_ms: 60000\nqueue_size: 3\nwarmup_batches: 0\n");
        ModelServer server = ModelServer.start(new HttpSettings("127.0.0.1", 0, 1 << 20, 503, 1, null,
                Duration.ofSeconds(30)), new ModelRepository(repository, Map.of()), List.of(Device.cpu()),
                new PrometheusRegistry());
        HttpCalls http = new HttpCalls(server.port());
        server.startup().join();
        assertThat(server.status().isReady()).isTrue();
        List<CompletableFuture<HttpCalls.Answer>> accepted = List.of(1, 2, 3).stream()
                .map(n -> CompletableFuture.supplyAsync(() -> http.post("/v2/models/waiting/infer",
                        ServeHttpTest.ones("waiting", n, "")))).toList();
        ServedModel model = server.registry().readyModels().get("waiting");
        while (model.queueDepth() < 3) {
            Thread.onSpinWait();
        }

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
            HttpCalls.Answer answer = accepted.get(i).get();
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.json().at("/outputs/0/shape").toString()).isEqualTo("[" + (i + 1) + ",5]");
        }
        assertThat(server.registry().readyModels()).isEmpty();
        assertThatThrownBy(() -> http.get("/v2/health/live")).isInstanceOf(UncheckedIOException.class);
    }
}
