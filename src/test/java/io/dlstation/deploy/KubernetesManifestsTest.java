package io.dlstation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dlstation.config.ConfigLoader;
import io.dlstation.config.DlstationConfig;
import io.dlstation.config.ServeConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest in deploy/k8s read into typed Kubernetes objects (fabric8's model), and what they say
 * checked against the server's own defaults: port, health paths, drain timeout, request size.
 */
class KubernetesManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ServeConfig SERVER = ServeConfig.defaults();

    @TempDir
    Path tmp;

    private static <T> T read(String file, Class<T> type) throws IOException {
        T value = YAML.readValue(DeployFiles.read("k8s/" + file), type);
        assertThat(value).as(file).isNotNull();
        return value;
    }

    private static Container server(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void theDeploymentProbesTheServersHealthOnItsPortAndOutlastsItsDrain() throws IOException {
        Deployment deployment = read("deployment.yaml", Deployment.class);
        Container serve = server(deployment);

        assertThat(serve.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).isEqualTo(SERVER.port());
            assertThat(p.getName()).isEqualTo("http");
        });
        assertThat(serve.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        assertThat(serve.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
        assertThat(serve.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(serve.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        long preStop = Long.parseLong(serve.getLifecycle().getPreStop().getExec().getCommand().get(1));
        long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertThat(grace).isGreaterThan(SERVER.drainTimeout().toSeconds() + preStop);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", Integer.toString(SERVER.port()))
                .containsEntry("prometheus.io/path", "/metrics");
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
    }

    @Test
    void theConfigMapHoldsAConfigurationTheServerReads() throws IOException {
        ConfigMap config = read("configmap.yaml", ConfigMap.class);
        Path file = Files.writeString(tmp.resolve("dlstation.yaml"), config.getData().get("dlstation.yaml"));
        DlstationConfig loaded = ConfigLoader.read(file);
        assertThat(loaded.serve().port()).isEqualTo(SERVER.port());
        assertThat(loaded.serve().drainTimeout()).isEqualTo(SERVER.drainTimeout());
        Deployment deployment = read("deployment.yaml", Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getConfigMap() != null)
                .extracting(v -> v.getConfigMap().getName())
                .containsExactly(config.getMetadata().getName());
        assertThat(server(deployment).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("DLSTATION_CONFIG");
            assertThat(e.getValue()).isEqualTo("/etc/dlstation/dlstation.yaml");
        });
    }

    @Test
    void theServiceSelectsTheServerPodsAndTheirPort() throws IOException {
        Service service = read("service.yaml", Service.class);
        Deployment deployment = read("deployment.yaml", Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
        PersistentVolumeClaim models = read("models-pvc.yaml", PersistentVolumeClaim.class);
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
                .containsExactly(models.getMetadata().getName());
    }

    @Test
    void theAutoscalerScalesTheDeploymentOnAMetricTheServerExports() throws IOException {
        HorizontalPodAutoscaler hpa = read("hpa.yaml", HorizontalPodAutoscaler.class);
        Deployment deployment = read("deployment.yaml", Deployment.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        String metric = hpa.getSpec().getMetrics().get(0).getPods().getMetric().getName();
        String metrics = Files.readString(Path.of("src/main/java/io/dlstation/serve/ServeMetrics.java"));
        assertThat(metrics).contains("name(\"" + metric + "\")");
        assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
    }

    @Test
    void thePodMonitorScrapesTheServersMetricsPort() throws IOException {
        GenericKubernetesResource monitor = read("podmonitor.yaml", GenericKubernetesResource.class);
        assertThat(monitor.getKind()).isEqualTo("PodMonitor");
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = (Map<String, Object>) ((java.util.List<Object>) ((Map<String, Object>) monitor
                .getAdditionalProperties().get("spec")).get("podMetricsEndpoints")).get(0);
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");
    }
}
