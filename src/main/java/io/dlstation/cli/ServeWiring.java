package io.dlstation.cli;

import ai.djl.Device;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.host.HostTelemetry;
import io.dlstation.monitor.GpuCollector;
import io.dlstation.monitor.LatestSnapshot;
import io.dlstation.monitor.Sampler;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.http.HttpSettings;
import io.dlstation.serve.http.ModelServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Puts {@link ServeCommand}'s pieces together: the model server and the GPU gauges of its
 * {@code /metrics} (NVML sampled on a timer into the monitor's {@link GpuCollector}).
 */
final class ServeWiring implements AutoCloseable {
    private final ModelServer server;
    private final ScheduledExecutorService sampler;

    private ServeWiring(ModelServer server, ScheduledExecutorService sampler) {
        this.server = server;
        this.sampler = sampler;
    }

    static ServeWiring start(HttpSettings settings, ModelRepository repository, List<Device> devices,
            GpuTelemetry telemetry, Duration gpuInterval) {
        PrometheusRegistry registry = new PrometheusRegistry();
        LatestSnapshot latest = new LatestSnapshot();
        GpuCollector.register(registry, latest);
        Sampler gpus = Sampler.of(telemetry, HostTelemetry.open());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("dlstation-serve-gpu-sampler").daemon(true).factory());
        latest.accept(gpus.sample()); // the first scrape already has the GPUs
        sampler.scheduleWithFixedDelay(() -> latest.accept(gpus.sample()), gpuInterval.toMillis(),
                gpuInterval.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return new ServeWiring(ModelServer.start(settings, repository, devices, registry), sampler);
        } catch (RuntimeException e) {
            sampler.shutdownNow();
            throw e;
        }
    }

    ModelServer server() {
        return server;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
    }
}
