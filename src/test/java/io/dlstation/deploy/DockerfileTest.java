package io.dlstation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.config.ConfigLoader;
import io.dlstation.config.ServeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker/Dockerfile's structure (Docker itself does not run here): pinned images, the bundle
 * built and copied, a non-root user, the health check, port and entry point matching the server.
 */
class DockerfileTest {
    private static final ServeConfig DEFAULTS = ServeConfig.defaults();
    private final Dockerfile dockerfile = Dockerfile.parse(DeployFiles.read("docker/Dockerfile"));

    @Test
    void everyImageIsPinnedByATag() {
        assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            String image = stage.image();
            String tag = image.contains(":") && image.lastIndexOf(':') > image.lastIndexOf('/')
                    ? image.substring(image.lastIndexOf(':') + 1) : "";
            assertThat(tag).as("the tag of FROM %s", image).isNotBlank().isNotEqualTo("latest");
        }
        assertThat(dockerfile.globalArgs().get("BASE")).as("the GPU base (--build-arg BASE=ubuntu:24.04 for CPU)")
                .matches("nvidia/cuda:[0-9.]+-runtime-ubuntu[0-9.]+");
        assertThat(dockerfile.last().image()).isEqualTo(dockerfile.globalArgs().get("BASE"));
    }

    @Test
    void theBuildStageMakesTheBundleAndTheRuntimeStageCopiesIt() {
        Dockerfile.Stage build = dockerfile.stages().get(0);
        assertThat(build.image()).startsWith("eclipse-temurin:");
        int feature = Integer.parseInt(build.image().replaceAll("^eclipse-temurin:(\\d+).*", "$1"));
        assertThat(feature).as("jlink of a JDK 21 or newer").isGreaterThanOrEqualTo(21);
        assertThat(String.join("\n", build.all("RUN"))).contains("./mvnw -B -Pdist package -DskipTests");
        assertThat(dockerfile.last().all("COPY"))
                .anyMatch(copy -> copy.matches("--from=" + build.name() + " /src/target/dist/dlstation /opt/dlstation"));
    }

    @Test
    void everyCopiedSourceIsInTheProject() {
        List<String> sources = new ArrayList<>();
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            for (String copy : stage.all("COPY")) {
                if (!copy.startsWith("--from")) {
                    String[] parts = copy.split("\\s+");
                    sources.addAll(List.of(parts).subList(0, parts.length - 1));
                }
            }
        }
        assertThat(sources).isNotEmpty().allSatisfy(source -> assertThat(Path.of(source)).exists());
    }

    @Test
    void theServerRunsAsANonRootUserWithVolumesAndNoTracking() {
        Dockerfile.Stage runtime = dockerfile.last();
        String user = runtime.last("USER");
        assertThat(user).as("USER of the final stage").isNotNull();
        assertThat(user.split(":")[0]).isNotIn("root", "0");
        assertThat(String.join(" ", runtime.all("VOLUME"))).contains("\"/models\"", "\"/logs\"");
        assertThat(String.join(" ", runtime.all("ENV"))).contains("OPT_OUT_TRACKING=true");
    }

    @Test
    void healthCheckPortAndEntryPointMatchTheServer() throws Exception {
        Dockerfile.Stage runtime = dockerfile.last();
        assertThat(runtime.last("HEALTHCHECK")).isNotNull()
                .contains("CMD ", "127.0.0.1:" + DEFAULTS.port() + "/v2/health/ready", "curl -f");
        assertThat(runtime.last("EXPOSE")).isEqualTo(String.valueOf(DEFAULTS.port()));
        JsonNode entrypoint = new ObjectMapper().readTree(runtime.last("ENTRYPOINT"));
        List<String> words = new ArrayList<>();
        entrypoint.forEach(word -> words.add(word.asText()));
        assertThat(words).startsWith("/opt/dlstation/dlstation", "serve")
                .containsSubsequence("--host", "0.0.0.0").containsSubsequence("--model-repository", "/models");
    }

    @Test
    void theImagesConfigurationLoadsAndKeepsTheServersDefaults() {
        String env = String.join(" ", dockerfile.last().all("ENV"));
        assertThat(env).contains("DLSTATION_CONFIG=/etc/dlstation/dlstation.yaml");
        assertThat(dockerfile.last().all("COPY")).contains("deploy/docker/dlstation.yaml /etc/dlstation/dlstation.yaml");
        ServeConfig serve = ConfigLoader.read(Path.of("deploy/docker/dlstation.yaml")).serve();
        assertThat(serve.port()).isEqualTo(DEFAULTS.port());
        assertThat(serve.drainTimeout()).isEqualTo(DEFAULTS.drainTimeout());
        assertThat(serve.maxRequestBytes()).isEqualTo(DEFAULTS.maxRequestBytes());
        assertThat(Files.exists(Path.of("deploy/docker/Dockerfile.dockerignore"))).isTrue();
    }
}
