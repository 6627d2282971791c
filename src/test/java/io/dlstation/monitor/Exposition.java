package io.dlstation.monitor;

import io.dlstation.time.ManualClock;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The exporter as the monitor wires it, over a snapshot of two fake GPUs, and a reader of its text. */
final class Exposition {
    private static final Pattern SAMPLE = Pattern.compile("^([A-Za-z_:][A-Za-z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    private Exposition() {}

    /** The registry of {@code dlstation monitor --prometheus-port}, over {@code latest}. */
    static PrometheusRegistry registry(LatestSnapshot latest, List<ActiveAlert> active) {
        PrometheusRegistry registry = new PrometheusRegistry();
        GpuCollector.register(registry, latest);
        HostCollector.register(registry, latest);
        registry.register(new AlertCollector(() -> active));
        ProcessMetrics.builder().register(registry);
        return registry;
    }

    /** A snapshot of {@link FakeGpuTelemetry#twoGpus()} and the fake host. */
    static LatestSnapshot twoGpus() {
        LatestSnapshot latest = new LatestSnapshot();
        latest.accept(new Sampler(FakeGpuTelemetry.twoGpus(), new FakeHostTelemetry(),
                new ManualClock(Instant.parse("2025-06-01T10:00:00Z")), () -> 0).sample());
        return latest;
    }

    /** GET {@code url}; the body. */
    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** Each sample line as "name{labels}" -> value, labels as written. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }
}
