package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.dlstation.engine.GpuTestEngine;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.ServeFixtures;
import io.dlstation.testing.Await;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on the first GPU: the small TorchScript model answers what PyTorch computed. */
@Tag("gpu")
class ServeGpuTest {
    @TempDir
    Path repository;

    @Test
    void servesOnTheGpu() {
        GpuTestEngine.start();
        ServeFixtures.tinyCnn(repository, "tiny", "max_batch_size: 16\nmax_batch_delay_ms: 1\ninstances: 2\n");
        try (ModelServer server = ModelServer.start(new HttpSettings("127.0.0.1", 0, 1 << 20, 429, 1, null,
                Duration.ofSeconds(10)), new ModelRepository(repository, Map.of()), List.of(Device.gpu(0)),
                new PrometheusRegistry())) {
            Await.result(server.startup(), Duration.ofMinutes(5), "the models to load");
            HttpCalls http = new HttpCalls(server.port());
            JsonNode meta = http.get("/v2/models/tiny").json();
            assertThat(meta.at("/parameters/devices/0").asText()).startsWith("gpu");
            JsonNode output = http.post("/v2/models/tiny/infer", ServeHttpTest.ones("tiny", 3, "")).json().at("/outputs/0");
            double[] expected = ServeFixtures.softmax(ServeFixtures.TINY_CNN_ONES);
            for (int i = 0; i < 15; i++) {
                assertThat(output.at("/data/" + i).asDouble()).isCloseTo(expected[i % 5], within(1e-4));
            }
        }
    }
}
