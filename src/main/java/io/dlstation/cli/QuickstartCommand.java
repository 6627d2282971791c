package io.dlstation.cli;

import ai.djl.Device;
import io.dlstation.engine.MemoryProbes;
import io.dlstation.engine.MemoryProfile;
import io.dlstation.engine.MemoryProfiler;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.info.MachineReportTable;
import io.dlstation.info.MachineSurvey;
import io.dlstation.quickstart.ForwardBackwardCheck;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlstation quickstart}: the first-run tour on this machine's best device. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "First run: report the machine, then train a small CNN for a few steps on the chosen device.")
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

    private final CliContext context;

    QuickstartCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (steps < 2 || batchSize < 1) {
            throw DlstationException.badInput("--steps must be >= 2 and --batch-size >= 1 (got " + steps + ", "
                    + batchSize + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        var settings = engine.settings(common.load(context), context.env());
        try (GpuTelemetry telemetry = context.telemetry().get()) {
            out.println("== 1. This machine (dlstation info)");
            MachineSurvey.Result survey = MachineSurvey.run(settings, telemetry, context.locator());
            out.print(MachineReportTable.render(survey.report()));
            out.flush();
            if (!survey.engineStarted()) {
                throw new DlstationException(ErrorCode.INTERNAL, "the engine did not start, so nothing can run; "
                        + "see the warnings above");
            }
            Device device = settings.device().resolve(survey.report().engine().gpuCount());
            out.printf(Locale.ROOT, "%n== 2. Forward and backward on %s: a small CNN fits one batch of %d random "
                    + "32x32 images for %d SGD steps%n", device, batchSize, steps);
            out.flush();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                    .daemon().name("memory-sampler").factory());
            try {
                MemoryProfiler.Profiled<ForwardBackwardCheck.Result> run = MemoryProfiler.profile(
                        MemoryProbes.forDevice(device, telemetry), sampler, Duration.ofMillis(20),
                        () -> ForwardBackwardCheck.run(device, batchSize, steps, 42));
                print(out, run.value(), run.memory());
                return run.value().lossFell() ? 0 : 1;
            } finally {
                sampler.shutdownNow();
            }
        }
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
        out.println();
        out.println("Next: dlstation train --model small-cnn --data shapes --epochs 5 --lr-schedule cosine "
                + "(a real training run on built-in data), dlstation bench train --model resnet50 (throughput sweep), "
                + "dlstation monitor, dlstation --help for every verb.");
        out.flush();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
