package io.dlstation.serve.loadgen;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dlstation.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code dlstation bench serve} measured ({@code "schema": 1}): the run's settings, a point per
 * concurrency level, and with {@code --sample-server-metrics} the server's memory and errors over the run
 * ({@code server_metrics}, left out otherwise).
 */
@JsonPropertyOrder({"schema", "kind", "url", "model", "mode", "rate", "batch", "binary", "duration_s", "warmup_s",
    "started", "points", "server_metrics"})
public record LoadReport(int schema, String kind, String url, String model, String mode, Double rate, int batch,
        boolean binary, double durationS, double warmupS, String started, List<LoadPoint> points,
        @JsonInclude(JsonInclude.Include.NON_NULL) ServerMetricsReport serverMetrics) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The report as pretty JSON. */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the JSON to {@code file} atomically (a temp file renamed into place). */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            AtomicFiles.write(file, out -> JSON.writeValue(out, this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A table for people: one line per level, then the verdict on the server's metrics when sampled. */
    public String table() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%-11s %9s %10s %11s %8s %8s %8s %8s %8s  %s%n", "concurrency", "requests", "req/s", "samples/s",
                "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "not 200"));
        for (LoadPoint p : points) {
            String bad = p.statuses().entrySet().stream().filter(e -> !e.getKey().equals("200"))
                    .map(e -> e.getKey() + ":" + e.getValue()).reduce((a, b) -> a + " " + b).orElse("-");
            s.append(String.format(Locale.ROOT, "%-11d %9d %10.1f %11.1f %8.2f %8.2f %8.2f %8.2f %8.2f  %s%n",
                    p.concurrency(), p.requests(), p.requestsPerSecond(), p.samplesPerSecond(), p.latencyMs().p50(),
                    p.latencyMs().p90(), p.latencyMs().p99(), p.latencyMs().p99_9(), p.latencyMs().max(), bad));
        }
        if (points.stream().anyMatch(p -> p.server() != null)) {
            s.append(String.format(Locale.ROOT, "%nInside the server (means from its /metrics over the measured time):%n"
                    + "%-11s %9s %11s %9s %9s %11s%n", "concurrency", "requests", "request ms", "queue ms", "batch ms",
                    "batch size"));
            for (LoadPoint p : points) {
                ServerTimes t = p.server();
                if (t != null) {
                    s.append(String.format(Locale.ROOT, "%-11d %9d %11.3f %9.3f %9.3f %11.1f%n", p.concurrency(),
                            t.requests(), t.requestMs(), t.queueMs(), t.batchMs(), t.batchSize()));
                }
            }
        }
        if (serverMetrics != null) {
            s.append('\n').append(serverMetrics.verdict().text());
            if (serverMetrics.scrapeFailures() > 0) {
                s.append(serverMetrics.scrapeFailures()).append(" scrapes of the server's /metrics failed\n");
            }
        }
        return s.toString();
    }
}
