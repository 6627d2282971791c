package io.dlstation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dlstation.config.ServeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose/compose.yaml as Debian's {@code docker-compose config} resolves it (no Docker daemon
 * needed), and its Prometheus configuration.
 */
class ComposeTest {
    private static final ServeConfig DEFAULTS = ServeConfig.defaults();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static JsonNode services;

    @BeforeAll
    static void resolve() throws Exception {
        Path compose = DeployFiles.assumeInstalled("docker-compose", "docker-compose");
        Process process = new ProcessBuilder(compose.toString(), "-f", "deploy/compose/compose.yaml", "--profile",
                "prometheus", "config").redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("docker-compose config:\n%s", text).isZero();
        services = YAML.readTree(text.substring(text.indexOf("services:"))).get("services");
    }

    @Test
    void theServerHasOneGpuAHealthCheckAndTimeToDrain() {
        JsonNode server = services.get("dlstation");
        JsonNode device = server.at("/deploy/resources/reservations/devices/0");
        assertThat(device.get("driver").asText()).isEqualTo("nvidia");
        assertThat(device.get("count").asInt()).isEqualTo(1);
        assertThat(device.get("capabilities").toString()).isEqualTo("[\"gpu\"]");
        assertThat(server.at("/healthcheck/test").toString()).contains("/v2/health/ready", ":" + DEFAULTS.port());
        assertThat(server.get("restart").asText()).isEqualTo("unless-stopped");
        Duration grace = Duration.parse("PT" + server.get("stop_grace_period").asText().toUpperCase());
        assertThat(grace).as("stop_grace_period over --drain-timeout").isGreaterThan(DEFAULTS.drainTimeout());
        assertThat(server.get("build").get("dockerfile").asText()).isEqualTo("deploy/docker/Dockerfile");
        assertThat(server.get("volumes").toString()).contains("models", "/models", "logs", "/logs");
    }

    @Test
    void nginxFrontsTheServerWithTheShippedConfig() {
        JsonNode nginx = services.get("nginx");
        assertThat(nginx.get("volumes").toString()).contains("deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro");
        assertThat(nginx.at("/depends_on/dlstation/condition").asText()).isEqualTo("service_healthy");
        assertThat(nginx.get("image").asText()).matches("nginx:[0-9.]+");
        assertThat(DeployFiles.read("nginx/nginx.conf")).contains("server dlstation:" + DEFAULTS.port());
    }

    @Test
    void theExporterAndAnOptionalPrometheusScrapeEverything() throws IOException {
        List<String> exporter = new ArrayList<>();
        services.get("exporter").get("entrypoint").forEach(word -> exporter.add(word.asText()));
        assertThat(exporter).containsSubsequence("monitor", "--prometheus-port", "9400")
                .containsSubsequence("--prometheus-host", "0.0.0.0");
        JsonNode prometheus = services.get("prometheus");
        assertThat(prometheus.get("profiles").toString()).isEqualTo("[\"prometheus\"]");
        JsonNode scrape = YAML.readTree(DeployFiles.read("compose/prometheus.yml")).get("scrape_configs");
        assertThat(scrape.findValuesAsText("metrics_path")).containsOnly("/metrics");
        assertThat(scrape.toString()).contains("dlstation:" + DEFAULTS.port(), "exporter:9400");
    }
}
