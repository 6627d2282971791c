package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus}, loopback only, temporary storage) scrapes the
 * exporter: the target comes up and the DCGM series arrive with their labels, as a Grafana dashboard
 * for NVIDIA's exporter would query them. Prometheus is an outside process, so this test polls its
 * HTTP API, with a bounded wait.
 */
class PrometheusServerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void prometheusScrapesTheExporterAndStoresTheDcgmSeries() throws Exception {
        ExternalTools.assumeInstalled("prometheus");
        try (PrometheusExporter exporter = PrometheusExporter.start("127.0.0.1", 0,
                Exposition.registry(Exposition.twoGpus(), List.of()))) {
            int webPort = freePort();
            Path config = Files.writeString(tmp.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: dlstation
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(exporter.port()));
            Path log = tmp.resolve("prometheus.log");
            Process prometheus = new ProcessBuilder(ExternalTools.path("prometheus").toString(),
                    "--config.file=" + config, "--storage.tsdb.path=" + tmp.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + webPort)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                String api = "http://127.0.0.1:" + webPort + "/api/v1/";
                JsonNode up = poll(api + "query?query=" + encode("up{job=\"dlstation\"}"),
                        r -> r.size() == 1 && r.get(0).at("/value/1").asText().equals("1"), prometheus, log);
                assertThat(up.get(0).at("/metric/instance").asText()).isEqualTo("127.0.0.1:" + exporter.port());
                JsonNode targets = new ObjectMapper().readTree(Exposition.get(api + "targets"));
                assertThat(targets.at("/data/activeTargets/0/health").asText()).isEqualTo("up");
                assertThat(targets.at("/data/activeTargets/0/lastError").asText()).isEmpty();

                JsonNode util = poll(api + "query?query=" + encode("DCGM_FI_DEV_GPU_UTIL"), r -> r.size() == 2,
                        prometheus, log);
                JsonNode gpu0 = util.get(0).at("/metric/gpu").asText().equals("0") ? util.get(0) : util.get(1);
                assertThat(gpu0.at("/metric/modelName").asText()).isEqualTo("NVIDIA H100 80GB HBM3");
                assertThat(gpu0.at("/metric/UUID").asText()).startsWith("GPU-00000000");
                assertThat(gpu0.at("/metric/Hostname").asText()).isEqualTo("box01");
                assertThat(gpu0.at("/metric/device").asText()).isEqualTo("nvidia0");
                assertThat(gpu0.at("/value/1").asText()).isEqualTo("97");
                JsonNode memory = poll(api + "query?query=" + encode("sum(DCGM_FI_DEV_FB_USED) by (modelName)"),
                        r -> r.size() == 1, prometheus, log);
                assertThat(memory.get(0).at("/value/1").asText()).isEqualTo(Integer.toString(71680 + 1024));
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Queries until the result satisfies {@code done}; fails with Prometheus's log when the wait runs out. */
    private static JsonNode poll(String url, Predicate<JsonNode> done, Process prometheus, Path log) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            assertThat(prometheus.isAlive()).as("prometheus exited: %s", readLog(log)).isTrue();
            try {
                JsonNode answer = new ObjectMapper().readTree(Exposition.get(url));
                JsonNode result = answer.at("/data/result");
                if (done.test(result)) {
                    return result;
                }
                last = answer.toString();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus did not answer " + url + " as expected within " + PATIENCE + "; last: "
                + last + "\n" + readLog(log));
    }

    private static String readLog(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
