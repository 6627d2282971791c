package io.dlstation.cli;

import ai.djl.Device;
import io.dlstation.config.DlstationConfig;
import io.dlstation.config.DurationText;
import io.dlstation.config.ServeConfig;
import io.dlstation.engine.DeviceList;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.files.AtomicFiles;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.http.HttpSettings;
import io.dlstation.serve.http.ModelServer;
import io.dlstation.serve.wlm.Failures;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlstation serve}: the model server, until SIGTERM or SIGINT drains it. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false, resourceBundle = "io.dlstation.cli.ServeHelp",
        description = {"Serve models over HTTP with dynamic batching: KServe v2 (Open Inference Protocol) with binary "
                + "tensors, the seed's /predict and /stats, Prometheus /metrics, a repository API; SIGTERM drains.",
            "Example: dlstation serve --model-repository models --port 8080"})
final class ServeCommand implements Callable<Integer> {
    private final CliContext context;
    private final Hooks hooks;
    /** Completes when the server should stop (a signal, or a test). */
    final CompletableFuture<Void> stop = new CompletableFuture<>();
    /**
     * Completes once the server has drained and let go of everything (or failed), before the process
     * exits: a signal's call waits for it, which a shutdown hook must (the JVM exits when it returns).
     */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    EngineOptions engine;

    @Option(names = "--model-repository", paramLabel = "DIR",
            description = "A folder of model folders, each with model.yaml (see docs/SERVE.md).")
    Path repository;

    @Option(names = "--model", paramLabel = "NAME=PATH", description = "One more model folder, served as NAME (repeatable).")
    List<String> models = new ArrayList<>();

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Port (default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--max-request-bytes", paramLabel = "N", description = "Largest request body; more is 413 (default 64 MiB).")
    Long maxRequestBytes;

    @Option(names = "--max-image-pixels", paramLabel = "N",
            description = "Most pixels (width x height) of an image sent to /predict; more is 413, told by the image's "
                    + "header before it is decoded (default 40000000).")
    Long maxImagePixels;

    @Option(names = "--drain-timeout", paramLabel = "DURATION",
            description = "On SIGTERM: how long queued and running requests may finish and clients may close "
                    + "their connections (default 30s).")
    String drainTimeout;

    @Option(names = "--queue-full-status", paramLabel = "429|503", description = "Status of a request refused by a full queue (default 429).")
    Integer queueFullStatus;

    @Option(names = "--retry-after", paramLabel = "SECONDS", description = "Retry-After of 429 and 503 answers (default 1).")
    Integer retryAfter;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Opens the repository API (load/unload) to 'Authorization: Bearer TOKEN' (env DLSTATION_ADMIN_TOKEN).")
    String adminToken;

    @Option(names = "--port-file", paramLabel = "FILE", description = "Write the port listened on to FILE (for scripts with --port 0).")
    Path portFile;

    /**
     * What a test replaces: how stop signals are caught, and who hears of the running server.
     *
     * @param signals installs the stop trigger and returns what it listens to
     * @param started told of the server once it listens
     */
    record Hooks(Function<Runnable, List<String>> signals, Consumer<ModelServer> started) {
        static final Hooks SYSTEM = new Hooks(ShutdownSignals::install, server -> { });
    }

    ServeCommand(CliContext context) {
        this(context, Hooks.SYSTEM);
    }

    ServeCommand(CliContext context, Hooks hooks) {
        this.context = context;
        this.hooks = hooks;
    }

    @Override
    public Integer call() throws java.io.IOException {
        try {
            return serve();
        } finally {
            stopped.complete(null);
        }
    }

    private Integer serve() throws java.io.IOException {
        DlstationConfig config = common.load(context);
        ServeConfig file = config.serve();
        ModelRepository repo = repository(file);
        int status = queueFullStatus != null ? queueFullStatus : file.queueFullStatus();
        if (status != 429 && status != 503) {
            throw DlstationException.badInput("--queue-full-status " + status + ": use 429 or 503");
        }
        HttpSettings settings = new HttpSettings(host != null ? host : file.host(), port != null ? port : file.port(),
                maxRequestBytes != null ? maxRequestBytes : file.maxRequestBytes(), status,
                retryAfter != null ? retryAfter : file.retryAfterSeconds(),
                adminToken != null ? adminToken : context.env().get("DLSTATION_ADMIN_TOKEN"),
                drainTimeout != null ? DurationText.parse(drainTimeout, "--drain-timeout") : file.drainTimeout(),
                imagePixels(file));
        check(settings);
        PrintWriter err = spec.commandLine().getErr();
        long started = context.ticker().read();
        try (GpuTelemetry telemetry = context.telemetry().get()) {
            List<Device> devices = devices(config, telemetry);
            try (ServeWiring wiring = ServeWiring.start(settings, repo, devices, telemetry, file.gpuMetricsInterval())) {
                ModelServer server = wiring.server();
                String url = "http://" + settings.host() + ":" + server.port();
                if (portFile != null) {
                    AtomicFiles.write(portFile, out -> out.write((server.port() + "\n").getBytes(StandardCharsets.UTF_8)));
                }
                err.printf(Locale.ROOT, "dlstation serve: listening on %s, loading %s on %s%n", url,
                        String.join(", ", repo.models().keySet()), devices);
                err.flush();
                List<String> signals = hooks.signals().apply(() -> {
                    stop.complete(null);
                    stopped.join();
                });
                hooks.started().accept(server);
                server.startup().whenComplete((ok, error) -> {
                    if (error == null) {
                        err.printf(Locale.ROOT, "dlstation serve: ready after %.1f s of loading and warm-up (%s drain; "
                                + "stop with %s)%n", (context.ticker().read() - started) / 1e9,
                                DurationText.format(settings.drainTimeout()), String.join(" or ", signals));
                    }
                    err.flush();
                    if (error != null) {
                        stop.complete(null);
                    }
                });
                stop.join();
                Throwable failed = server.startup().isCompletedExceptionally() ? cause(server.startup()) : null;
                err.println(failed == null ? "dlstation serve: draining" : "dlstation serve: stopping");
                err.flush();
                int cut = server.drain();
                if (failed != null) {
                    throw failed instanceof DlstationException d ? d
                            : new DlstationException(ErrorCode.INTERNAL, "a model failed to load: "
                                    + Failures.summary(failed.getMessage()), failed);
                }
                err.println(cut == 0 ? "dlstation serve: stopped" : "dlstation serve: stopped; the drain timeout closed "
                        + cut + " connection(s) whose clients had not closed them");
                err.flush();
                return 0;
            }
        }
    }

    private ModelRepository repository(ServeConfig file) {
        Path root = repository != null ? repository : file.modelRepository() == null ? null : Path.of(file.modelRepository());
        Map<String, Path> named = new LinkedHashMap<>();
        for (String m : models) {
            Map.Entry<String, Path> e = ModelRepository.parseNamed(m);
            if (named.put(e.getKey(), e.getValue()) != null) {
                throw DlstationException.badInput("--model " + e.getKey() + " is given twice");
            }
        }
        ModelRepository repo = new ModelRepository(root, named);
        if (repo.models().isEmpty()) {
            throw DlstationException.badInput(root == null ? "no models: give --model-repository DIR or --model NAME=PATH"
                    : "--model-repository " + root + " holds no model folder (a folder with model.yaml); see docs/SERVE.md");
        }
        return repo;
    }

    private long imagePixels(ServeConfig file) {
        if (maxImagePixels != null && maxImagePixels < 1) {
            throw DlstationException.badInput("--max-image-pixels " + maxImagePixels + " is too small; use 1 or more "
                    + "(default 40000000)");
        }
        return maxImagePixels != null ? maxImagePixels : file.maxImagePixels();
    }

    private static void check(HttpSettings settings) {
        if (settings.port() < 0 || settings.port() > 65_535) {
            throw DlstationException.badInput("--port " + settings.port() + " is not a port; use 0 to 65535");
        }
        if (settings.maxRequestBytes() < 1024) {
            throw DlstationException.badInput("--max-request-bytes " + settings.maxRequestBytes() + " is too small; use 1024 or more");
        }
        if (settings.retryAfterSeconds() < 0) {
            throw DlstationException.badInput("--retry-after " + settings.retryAfterSeconds() + " is negative");
        }
        if (settings.drainTimeout().isNegative()) {
            throw DlstationException.badInput("--drain-timeout is negative; use 0s or more");
        }
    }

    /**
     * {@code --device cpu|gpu:N[,gpu:M...]|all}: one copy of each model per device. Without it (or the
     * environment's DLSTATION_DEVICE, or dlstation.yaml's engine.device), every GPU the engine sees,
     * else the CPU.
     */
    private List<Device> devices(DlstationConfig config, GpuTelemetry telemetry) {
        String text = engine.device != null ? engine.device : context.env().get("DLSTATION_DEVICE");
        DeviceList list = text == null ? null : DeviceList.parse("--device", text);
        engine.device = list == null ? null : list.engineSpec().toString();
        StartedEngine started = StartedEngine.start(engine.settings(config, context.env()), telemetry, context);
        int gpus = started.survey().report().engine().gpuCount();
        List<Device> devices;
        if (list != null) {
            devices = list.resolve(gpus);
        } else if (config.engine().device() != null) {
            devices = List.of(started.device());
        } else {
            devices = DeviceList.parse("--device", "all").resolve(gpus);
        }
        started.limitMemory(devices);
        return devices;
    }

    private static Throwable cause(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }
}
