package io.dlstation.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.config.ConfigLoader;
import io.dlstation.config.DlstationConfig;
import io.dlstation.config.ServeConfig;
import io.dlstation.serve.http.HttpSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code serve:} section of dlstation.yaml. */
class ServeConfigTest {
    @TempDir
    Path dir;

    private DlstationConfig read(String yaml) throws IOException {
        Path file = dir.resolve("dlstation.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.read(file);
    }

    @Test
    void defaultsAndOverrides() throws IOException {
        assertThat(DlstationConfig.defaults().serve()).isEqualTo(ServeConfig.defaults());
        assertThat(ServeConfig.defaults().port()).isEqualTo(8080);
        ServeConfig serve = read("""
                serve:
                  host: 0.0.0.0
                  port: 9000
                  model_repository: /models
                  max_request_bytes: 1048576
                  drain_timeout: 45s
                  queue_full_status: 503
                  retry_after_seconds: 2
                  max_image_pixels: 12000000
                """).serve();
        assertThat(serve.host()).isEqualTo("0.0.0.0");
        assertThat(serve.port()).isEqualTo(9000);
        assertThat(serve.modelRepository()).isEqualTo("/models");
        assertThat(serve.drainTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(serve.queueFullStatus()).isEqualTo(503);
        assertThat(serve.gpuMetricsInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(serve.maxImagePixels()).isEqualTo(12_000_000);
        assertThat(ServeConfig.defaults().maxImagePixels()).isEqualTo(HttpSettings.DEFAULT_MAX_IMAGE_PIXELS);
    }

    @Test
    void badValuesNameTheField() {
        assertThatThrownBy(() -> read("serve:\n  queue_full_status: 500\n")).hasMessageContaining("queue_full_status 500");
        assertThatThrownBy(() -> read("serve:\n  max_image_pixels: 0\n"))
                .hasMessageContaining("max_image_pixels 0 is too small; use 1 or more");
        assertThatThrownBy(() -> read("serve:\n  prot: 1\n")).hasMessageContaining("unknown field 'serve.prot'");
        assertThatThrownBy(() -> read("serve:\n  drain_timeout: soon\n")).hasMessageContaining("line 2");
    }
}
