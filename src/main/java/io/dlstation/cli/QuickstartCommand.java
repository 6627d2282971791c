package io.dlstation.cli;

import ai.djl.Device;
import io.dlstation.bench.BenchModel;
import io.dlstation.bench.BenchReport;
import io.dlstation.bench.BenchRun;
import io.dlstation.bench.BenchSettings;
import io.dlstation.bench.SummaryTable;
import io.dlstation.engine.MemoryProbes;
import io.dlstation.engine.MemoryProfile;
import io.dlstation.engine.MemoryProfiler;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.info.MachineReportTable;
import io.dlstation.info.MachineSurvey;
import io.dlstation.quickstart.ForwardBackwardCheck;
import io.dlstation.quickstart.ShapesTour;
import io.dlstation.time.Ticker;
import io.dlstation.train.TrainSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlstation quickstart}: the first-run tour on this machine's best device. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "First run: report the machine, check that the device trains, run a short training "
                + "benchmark, then train a small CNN on the built-in shapes, serve it on a free port, ask it about "
                + "shapes it has never seen, and stop it.")
final class QuickstartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    EngineOptions engine;

    @Option(names = "--steps", defaultValue = "20", description = "Training steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "4", description = "Epochs of the shapes training (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the tour's training run and model go "
            + "(default quickstart-runs/TIME).")
    Path runFolder;

    private final CliContext context;

    QuickstartCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (steps < 2 || batchSize < 1 || epochs < 1) {
            throw DlstationException.badInput("--steps must be >= 2, --batch-size and --epochs >= 1 (got " + steps
                    + ", " + batchSize + ", " + epochs + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        var settings = engine.settings(common.load(context), context.env());
        try (GpuTelemetry telemetry = context.telemetry().get()) {
            long stepStart = context.ticker().read();
            out.println("== 1. This machine (dlstation info)");
            MachineSurvey.Result survey = MachineSurvey.run(settings, telemetry, context.locator());
            out.print(MachineReportTable.render(survey.report()));
            out.flush();
            if (!survey.engineStarted()) {
                throw new DlstationException(ErrorCode.INTERNAL, "the engine did not start, so nothing can run; "
                        + "see the warnings above");
            }
            Device device = settings.device().resolve(survey.report().engine().gpuCount());
            stepStart = took(out, context.ticker(), stepStart);
            out.printf(Locale.ROOT, "%n== 2. Forward and backward on %s: a small CNN fits one batch of %d random "
                    + "32x32 images for %d SGD steps%n", device, batchSize, steps);
            out.flush();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                    .daemon().name("memory-sampler").factory());
            try {
                MemoryProfiler.Profiled<ForwardBackwardCheck.Result> run = MemoryProfiler.profile(
                        MemoryProbes.forDevice(device, telemetry), sampler, Duration.ofMillis(20),
                        () -> ForwardBackwardCheck.run(device, batchSize, steps, 42, context.ticker()));
                print(out, run.value(), run.memory());
                if (!run.value().lossFell()) {
                    return 1;
                }
            } finally {
                sampler.shutdownNow();
            }
            Path folder = runFolder != null ? runFolder : context.workDir().resolve("quickstart-runs")
                    .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            stepStart = took(out, context.ticker(), stepStart);
            bench(out, device, survey, telemetry, folder.resolve("bench"));
            stepStart = took(out, context.ticker(), stepStart);
            out.printf(Locale.ROOT, "%n== 4. Train a small CNN on the built-in shapes (%d epochs on %s), serve it, "
                    + "ask it%n", epochs, device);
            out.flush();
            ConsoleTrainProgress progress = new ConsoleTrainProgress(spec.commandLine().getErr(),
                    System.console() != null);
            ShapesTour.Result tour = ShapesTour.run(device, folder, epochs, MemoryProbes.forDevice(device, telemetry),
                    progress, context.ticker());
            print(out, tour);
            took(out, context.ticker(), stepStart);
            printNext(out, tour);
            return 0;
        }
    }

    /**
     * A short training benchmark: on a GPU the seed's ResNet-50 sweep (fp32 and fp16-mixed at batch 32,
     * 64 and 128), on the CPU ResNet-18 at a small batch so it ends in seconds.
     */
    private void bench(PrintWriter out, Device device, MachineSurvey.Result survey, GpuTelemetry telemetry,
            Path folder) {
        boolean gpu = device.isGpu();
        BenchSettings bench = new BenchSettings("train", gpu ? BenchModel.RESNET50 : BenchModel.RESNET18,
                gpu ? List.of(32, 64, 128) : List.of(4), List.of(), gpu ? List.of(Precision.FP32, Precision.FP16_MIXED)
                        : List.of(Precision.FP32), gpu ? 5 : 1, gpu ? 20 : 2, false, false, 4096, true, gpu, 42, folder);
        out.printf(Locale.ROOT, "%n== 3. A short training benchmark (dlstation bench train --model %s --batch-sizes %s)%n",
                bench.model(), bench.batchSizes().stream().map(String::valueOf).collect(Collectors.joining(",")));
        out.flush();
        BenchReport report = new BenchRun(bench, device, MemoryProbes.forDevice(device, telemetry), survey.report(),
                List.of("dlstation", "quickstart"), spec.commandLine().getErr(), System.console() != null).run();
        out.print(SummaryTable.table(report));
        out.println("   results         " + folder);
        out.flush();
    }

    private static void print(PrintWriter out, ShapesTour.Result tour) {
        TrainSummary t = tour.training();
        out.printf(Locale.ROOT, "   trained         %d steps, validation accuracy %.1f%%, %,.0f images/s%n", t.steps(),
                100 * t.validationAccuracy(), t.trainSamplesPerSecond());
        out.printf(Locale.ROOT, "   served          %s (KServe v2 and /predict on a free loopback port)%n",
                tour.modelFolder());
        out.printf(Locale.ROOT, "   asked           %d unseen shapes as PNG to /predict: %d right, median %.1f ms "
                + "per request%n", tour.answers().size(), tour.correct(), tour.medianLatencyMs());
        tour.answers().stream().limit(5).forEach(a -> out.println("      " + a));
        out.println("   server metrics  " + tour.metricsLine());
        out.println("   stopped         drained and closed, as on SIGTERM");
        out.println("   artefacts       " + tour.modelFolder().getParent() + " (checkpoints, metrics.csv, tensorboard/, "
                + "model/, summary.json)");
        out.flush();
    }

    /** Prints how long the step took and returns the start of the next, both readings of {@code ticker}. */
    private static long took(PrintWriter out, Ticker ticker, long start) {
        long now = ticker.read();
        out.printf(Locale.ROOT, "   took            %.1f s%n", (now - start) / 1e9);
        out.flush();
        return now;
    }

    private static void printNext(PrintWriter out, ShapesTour.Result tour) {
        out.println();
        out.println("Next: dlstation train --model resnet18 --data imagefolder:DIR (your images), dlstation serve "
                + "--model NAME=" + tour.modelFolder() + ", dlstation bench train --model resnet50, dlstation monitor, "
                + "dlstation --help for every verb.");
        out.flush();
    }

    private static void print(PrintWriter out, ForwardBackwardCheck.Result r, MemoryProfile memory) {
        out.printf(Locale.ROOT, "   parameters      %,d%n", r.parameters());
        out.printf(Locale.ROOT, "   loss            %.4f -> %.4f over %d steps (%s)%n", r.firstLoss(), r.lastLoss(),
                r.steps(), r.lossFell() ? "falling: forward, backward and the optimizer work" : "NOT falling");
        out.printf(Locale.ROOT, "   step time       %.2f ms (%.0f images/s)%n", r.millisPerStep(),
                r.batchSize() * 1000.0 / r.millisPerStep());
        if (memory.startBytes() >= 0) {
            out.printf(Locale.ROOT, "   memory (%s)  start %.0f MiB, peak %.0f MiB, end %.0f MiB%n", memory.source(),
                    mib(memory.startBytes()), mib(memory.peakBytes()), mib(memory.endBytes()));
        }
        out.flush();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
