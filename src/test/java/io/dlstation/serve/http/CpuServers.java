package io.dlstation.serve.http;

import ai.djl.Device;
import io.dlstation.serve.ModelRepository;
import io.dlstation.testing.Await;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The real server on the CPU engine for the HTTP tests: started on the repository, its models loaded. */
final class CpuServers {
    private CpuServers() {}

    /** Starts a server with {@code settings} on every model of {@code repository} and waits until all are ready. */
    static ModelServer started(HttpSettings settings, Path repository) {
        ModelServer server = ModelServer.start(settings, new ModelRepository(repository, Map.of()),
                List.of(Device.cpu()), new PrometheusRegistry());
        Await.result(server.startup(), Duration.ofMinutes(5), "the models to load");
        return server;
    }
}
