package io.dlstation.serve.http;

import ai.djl.Device;
import io.dlstation.error.DlstationException;
import io.dlstation.serve.ModelLoader;
import io.dlstation.serve.ModelRegistry;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.ServeMetrics;
import io.dlstation.serve.wlm.Failures;
import io.dlstation.time.Scheduler;
import io.dlstation.time.Ticker;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A whole model server: the registry over a repository, the metrics, the HTTP server, and the start-up
 * that loads every model of the repository in the background (the server is live at once and ready
 * when they are all warmed up). What the CLI runs and what the tests start on port 0.
 */
public final class ModelServer implements AutoCloseable {
    private final ModelRegistry registry;
    private final ServeMetrics metrics;
    private final InferenceServer http;
    private final ScheduledThreadPoolExecutor timers;
    private final CompletableFuture<Void> startup;

    private ModelServer(ModelRegistry registry, ServeMetrics metrics, InferenceServer http,
            ScheduledThreadPoolExecutor timers, List<String> models) {
        this.registry = registry;
        this.metrics = metrics;
        this.http = http;
        this.timers = timers;
        this.startup = CompletableFuture.runAsync(() -> {
            for (String name : models) {
                registry.load(name, java.time.Duration.ZERO);
            }
            http.status().started();
        }, runnable -> Thread.ofPlatform().name("dlstation-serve-startup").daemon(true).start(runnable));
        startup.whenComplete((ok, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                http.status().failed("a model failed to load: " + (cause instanceof DlstationException
                        ? cause.getMessage() : Failures.summary(cause.getMessage())));
            }
        });
    }

    /**
     * Starts listening and begins loading every model the repository holds onto {@code devices}.
     *
     * @param prometheus where the server's metrics go, with the JVM's (heap, GC, threads, process memory); other
     *     collectors may be registered on it too
     */
    public static ModelServer start(HttpSettings settings, ModelRepository repository, List<Device> devices,
            PrometheusRegistry prometheus) {
        JvmMetrics.builder().register(prometheus); // heap, GC, threads and process memory beside the server's own
        ScheduledThreadPoolExecutor timers = Scheduler.newExecutor("dlstation-serve-deadlines");
        Ticker ticker = Ticker.system();
        ServeMetrics[] metrics = new ServeMetrics[1];
        ModelLoader loader = new ModelLoader(devices, ticker, Scheduler.of(timers),
                name -> metrics[0].listener(name));
        ModelRegistry registry = new ModelRegistry(repository, loader::load);
        metrics[0] = new ServeMetrics(prometheus, registry::readyModels);
        InferenceServer http = new InferenceServer(settings, registry, metrics[0], new ServerStatus(), ticker);
        try {
            http.start();
        } catch (DlstationException e) {
            timers.shutdownNow();
            throw e;
        }
        return new ModelServer(registry, metrics[0], http, timers, List.copyOf(repository.models().keySet()));
    }

    /** Lets a start-up load in progress finish, so that what it loads is unloaded too. */
    private void awaitStartup() {
        startup.handle((ok, error) -> null).join();
    }

    /** Completes when every start-up model is ready; fails with the first model that failed to load. */
    public CompletableFuture<Void> startup() {
        return startup;
    }

    public int port() {
        return http.port();
    }

    public ModelRegistry registry() {
        return registry;
    }

    public ServeMetrics metrics() {
        return metrics;
    }

    public ServerStatus status() {
        return http.status();
    }

    /**
     * Stops as a SIGTERM asks: drains (see {@link InferenceServer#drain}), then releases everything. The
     * drain begins before a start-up load still in progress is waited for, so the server stops taking
     * requests at once.
     *
     * @return how many connections were still open when the drain time ran out
     */
    public int drain() {
        http.beginDrain();
        awaitStartup();
        int open = http.drain();
        timers.shutdownNow();
        return open;
    }

    /** Stops at once: queued requests are failed, running batches finish, models are closed. */
    @Override
    public void close() {
        http.status().draining();
        awaitStartup();
        registry.unloadAll(java.time.Duration.ZERO);
        http.close();
        timers.shutdownNow();
    }
}
