package io.dlstation.cli;

import ai.djl.Device;
import io.dlstation.config.DurationText;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.files.AtomicFiles;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.info.MachineSurvey;
import io.dlstation.serve.InProcessBench;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.ModelSpec;
import io.dlstation.serve.loadgen.LoadGenerator;
import io.dlstation.serve.loadgen.LoadReport;
import io.dlstation.serve.loadgen.LoadSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dlstation bench serve}: load on a running server (closed loop per concurrency, or open loop at a
 * rate), or with {@code --in-process} the ceiling of the same model run without HTTP.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test a running 'dlstation serve' (or any KServe v2 server): throughput and "
                + "p50/p90/p99/p99.9 per concurrency level; or, with --in-process, the model's ceiling without HTTP.",
            "Example: dlstation bench serve --url http://127.0.0.1:8080 --model resnet50 --concurrency 1,8,32,128 --duration 30s",
            "Example: dlstation bench serve --url http://127.0.0.1:8080 --model resnet50 --rate 2000 --concurrency 256 "
                + "--duration 10m --warmup 1m --sample-server-metrics 10s",
            "Example: dlstation bench serve --in-process --model-repository models --model resnet50 --batch-sizes 32,64,128"})
final class BenchServeCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    EngineOptions engine;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The server (default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--model", required = true, description = "The model to send requests to.")
    String model;

    @Option(names = "--concurrency", split = ",", paramLabel = "N,N,...", defaultValue = "1,8,32,128",
            description = "Requests in flight at once, one measurement each (default ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--duration", defaultValue = "30s", paramLabel = "DURATION", description = "Measured time per level (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", paramLabel = "DURATION", description = "Unmeasured time before each level (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--rate", paramLabel = "R", description = "Open loop: R requests per second, latency from each one's intended send time.")
    Double rate;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "Samples per request (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json-input", description = "Send tensors as JSON instead of the binary extension.")
    boolean jsonInput;

    @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", description = "A request taking longer is an error (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--sample-server-metrics", paramLabel = "DURATION",
            description = "Scrape the server's /metrics this often for its heap, RSS, GPU memory and errors, and judge "
                    + "at the end whether they grew after the warm-up (for soak runs; e.g. 10s).")
    String sampleServerMetrics;

    @Option(names = "--in-process", description = "Measure the model in this process, without HTTP (needs --model-repository or --model-folder).")
    boolean inProcess;

    @Option(names = "--model-repository", paramLabel = "DIR", description = "With --in-process: the repository holding --model.")
    Path repository;

    @Option(names = "--model-folder", paramLabel = "DIR", description = "With --in-process: the model folder itself.")
    Path modelFolder;

    @Option(names = "--batch-sizes", split = ",", paramLabel = "N,N,...", defaultValue = "1,32,64,128",
            description = "With --in-process: batch sizes (default ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--iterations", defaultValue = "100", description = "With --in-process: timed batches per size (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup-iterations", defaultValue = "10", description = "With --in-process: untimed batches per size (default ${DEFAULT-VALUE}).")
    int warmupIterations;

    @Option(names = "--out", paramLabel = "FILE", description = "Results JSON (default bench-results/serve-MODEL-TIME.json).")
    Path out;

    @Option(names = "--json", description = "Print the results JSON instead of the table.")
    boolean json;

    BenchServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = out != null ? out : Path.of("bench-results", "serve-" + model + (inProcess ? "-in-process-" : "-")
                + LocalDateTime.now(context.clock()).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        if (inProcess) {
            return inProcess(stdout, err, file);
        }
        Duration sampling = sampleServerMetrics == null ? null
                : DurationText.parse(sampleServerMetrics, "--sample-server-metrics");
        if (sampling != null && sampling.toMillis() < 10) {
            throw DlstationException.badInput("--sample-server-metrics " + sampleServerMetrics
                    + " is too short; use 10ms or more (10s suits a soak)");
        }
        LoadSettings settings;
        try {
            settings = new LoadSettings(url, model, concurrency, DurationText.parse(duration, "--duration"),
                    DurationText.parse(warmup, "--warmup"), rate, batch, !jsonInput, DurationText.parse(timeout, "--timeout"),
                    sampling);
        } catch (IllegalArgumentException e) {
            throw DlstationException.badInput(e.getMessage());
        }
        err.printf(Locale.ROOT, "dlstation bench serve: %s at %s, %s loop, concurrency %s, %s per level%n", model, url,
                settings.mode(), concurrency, duration);
        err.flush();
        LoadReport report = new LoadGenerator(settings, err, context.clock(), context.ticker()).run();
        report.write(file);
        stdout.print(json ? report.json() + "\n" : report.table());
        stdout.printf("%nWrote %s%n", file);
        stdout.flush();
        return 0;
    }

    private int inProcess(PrintWriter stdout, PrintWriter err, Path file) {
        Path folder = modelFolder != null ? modelFolder : repository != null
                ? new ModelRepository(repository, Map.of()).locate(model) : null;
        if (folder == null) {
            throw DlstationException.badInput("--in-process needs the model: --model-repository DIR or --model-folder DIR");
        }
        if (batchSizes.stream().anyMatch(b -> b < 1) || iterations < 1 || warmupIterations < 0) {
            throw DlstationException.badInput("--batch-sizes and --iterations must be 1 or more");
        }
        ModelSpec modelSpec = ModelSpec.read(model, folder);
        try (GpuTelemetry telemetry = context.telemetry().get()) {
            var settings = engine.settings(common.load(context), context.env());
            StartedEngine started = StartedEngine.start(settings, telemetry, context);
            MachineSurvey.Result survey = started.survey();
            Device device = started.device();
            err.printf(Locale.ROOT, "dlstation bench serve --in-process: %s (%s) on %s, batch sizes %s%n", model,
                    modelSpec.serving().precision(), device, batchSizes);
            err.flush();
            List<InProcessBench.Point> points = InProcessBench.run(modelSpec, device, batchSizes, warmupIterations,
                    iterations, err, context.ticker());
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("schema", 1);
            report.put("kind", "serve-in-process");
            report.put("model", model);
            report.put("folder", folder.toAbsolutePath().toString());
            report.put("device", device.toString());
            report.put("precision", modelSpec.serving().precision().label());
            report.put("engine", survey.report().engine());
            report.put("started", Instant.now(context.clock()).toString());
            report.put("points", points);
            String text = Json.write(report);
            AtomicFiles.write(file.toAbsolutePath(), o -> o.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            stdout.print(json ? text + "\n" : table(points));
            stdout.printf("%nWrote %s%n", file);
            stdout.flush();
            return 0;
        } catch (java.io.IOException e) {
            throw new DlstationException(ErrorCode.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String table(List<InProcessBench.Point> points) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-6s %18s %9s %9s %9s %18s %9s%n", "batch",
                "pipeline samples/s", "p50 ms", "p90 ms", "p99 ms", "forward samples/s", "p50 ms"));
        for (InProcessBench.Point p : points) {
            s.append(String.format(Locale.ROOT, "%-6d %18.1f %9.3f %9.3f %9.3f %18.1f %9.3f%n", p.batchSize(),
                    p.pipelineSamplesPerSecond(), p.pipelineP50Ms(), p.pipelineP90Ms(), p.pipelineP99Ms(),
                    p.forwardSamplesPerSecond(), p.forwardP50Ms()));
        }
        return s.toString();
    }
}
