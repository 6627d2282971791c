package io.dlstation.serve.http;

import io.dlstation.serve.ModelRegistry;
import io.dlstation.serve.ServeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Server metadata, liveness, readiness, {@code /stats} and {@code /metrics}. */
final class ServerEndpoints {
    static final List<String> EXTENSIONS = List.of("binary_tensor_data", "classification", "model_repository",
            "statistics");

    private final ModelRegistry registry;
    private final ServeMetrics metrics;
    private final ServerStatus status;
    private final String version = version();

    ServerEndpoints(ModelRegistry registry, ServeMetrics metrics, ServerStatus status) {
        this.registry = registry;
        this.metrics = metrics;
        this.status = status;
    }

    void metadata(Exchange x) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "dlstation");
        body.put("version", version);
        body.put("extensions", EXTENSIONS);
        x.json(200, body);
    }

    void live(Exchange x) {
        x.json(200, Map.of("live", true));
    }

    void ready(Exchange x) {
        String why = status.whyNotReady();
        if (why == null) {
            x.json(200, Map.of("ready", true));
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ready", false);
            body.put("error", "not ready: " + why);
            x.json(503, body);
        }
    }

    void stats(Exchange x) {
        x.json(200, metrics.stats(registry.readyModels()));
    }

    void metrics(Exchange x) {
        x.send(200, ServeMetrics.contentType(), ByteBuffer.wrap(metrics.scrape()), Map.of());
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = ServerEndpoints.class.getResourceAsStream("/dlstation-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // the version is for people; unknown is an answer
        }
        return p.getProperty("version", "unknown");
    }
}
