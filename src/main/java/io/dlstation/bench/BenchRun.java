package io.dlstation.bench;

import ai.djl.Device;
import io.dlstation.engine.CudaRuntime;
import io.dlstation.engine.DeviceList;
import io.dlstation.engine.MemoryProbe;
import io.dlstation.engine.Precision;
import io.dlstation.info.MachineReport;
import io.dlstation.time.Ticker;
import io.dlstation.train.MaxBatchSearch;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs a whole sweep: every point of {@link BenchSettings#points()}, precision by precision, then
 * the optional largest-batch search, writing results.json after every point and all four files at
 * the end. An out-of-memory point is a result: the sweep stops or goes on as the settings say.
 */
public final class BenchRun {
    private final BenchSettings settings;
    private final Device device;
    private final List<Device> devices;
    private final MemoryProbe memory;
    private final MachineReport machine;
    private final List<String> command;
    private final PrintWriter log;
    private final boolean interactive;
    private final List<BenchPoint> points = new ArrayList<>();
    private final Map<String, MaxBatchSearch.Result> maxBatch = new LinkedHashMap<>();
    private final String started = Instant.now().toString();

    /**
     * @param log where per-point lines go when there is no terminal for a progress bar
     * @param interactive draw a progress bar (stderr is a terminal)
     */
    public BenchRun(BenchSettings settings, Device device, MemoryProbe memory, MachineReport machine,
            List<String> command, PrintWriter log, boolean interactive) {
        this(settings, List.of(device), memory, machine, command, log, interactive);
    }

    /**
     * @param devices several devices train data parallel: each point's batch size is per device, its
     *     throughput counts all devices, and the memory probe reads the first
     */
    public BenchRun(BenchSettings settings, List<Device> devices, MemoryProbe memory, MachineReport machine,
            List<String> command, PrintWriter log, boolean interactive) {
        this.settings = settings;
        this.devices = List.copyOf(devices);
        this.device = devices.get(0);
        this.memory = memory;
        this.machine = machine;
        this.command = List.copyOf(command);
        this.log = log;
        this.interactive = interactive;
    }

    /** Runs the sweep and writes the files; returns the final report. */
    public BenchReport run() {
        ResultsWriter writer = new ResultsWriter(settings.out());
        writer.writeJson(report(false));
        devices.forEach(CudaRuntime::benchmarkConvolutions);
        List<PointSpec> specs = settings.points();
        long total = (long) specs.size() * (settings.warmup() + settings.iterations());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("memory-sampler").factory());
        try (ProgressBar bar = interactive ? new ProgressBarBuilder().setTaskName("bench " + settings.model())
                .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setConsumer(
                        new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build() : null) {
            for (Precision precision : settings.precisions()) {
                runPrecision(precision, specs.stream().filter(s -> s.precision() == precision).toList(), writer, bar,
                        sampler);
            }
        } finally {
            sampler.shutdownNow();
        }
        BenchReport done = report(true);
        String chartProblem = writer.writeAll(done);
        if (chartProblem != null) {
            log.println("dlstation: " + ResultsWriter.CHART + " not written: " + chartProblem);
            log.flush();
        }
        return done;
    }

    private void runPrecision(Precision precision, List<PointSpec> specs, ResultsWriter writer, ProgressBar bar,
            ScheduledExecutorService sampler) {
        boolean training = settings.kind().equals("train");
        Workload workload = Workload.of(settings.model(), settings.channelsLast());
        PointRunner runner;
        try {
            runner = new PointRunner(workload, precision, devices, training, settings.withOptimizer(), settings.seed(),
                    memory, sampler, Ticker.system());
        } catch (io.dlstation.engine.OutOfDeviceMemoryException e) {
            record(BenchPoint.outOfMemory(specs.get(0), e.getMessage()), writer);
            return;
        }
        try (runner) {
            for (PointSpec spec : specs) {
                BenchPoint point = runner.measure(spec, settings.warmup(), settings.iterations(),
                        n -> {
                            if (bar != null) {
                                bar.stepBy(n);
                            }
                        });
                record(point, writer);
                if (point.oom() && settings.stopOnOom()) {
                    break;
                }
            }
            if (settings.findMaxBatch()) {
                int start = specs.stream().mapToInt(PointSpec::batchSize).max().orElse(1);
                PointSpec template = specs.get(specs.size() - 1);
                MaxBatchSearch.Result result = MaxBatchSearch.search(start, settings.maxBatchLimit(), b ->
                        runner.fits(new PointSpec(template.model(), template.kind(), precision, b, template.seqLength(),
                                template.withOptimizer())));
                maxBatch.put(precision.label(), result);
                log.printf(Locale.ROOT, "largest %s batch that fits: %d (tried %s)%n", precision, result.maxBatch(),
                        result.trials().stream().map(t -> t.batchSize() + (t.fits() ? " ok" : " oom")).toList());
                log.flush();
                writer.writeJson(report(false));
            }
        }
    }

    private void record(BenchPoint point, ResultsWriter writer) {
        points.add(point);
        writer.writeJson(report(false));
        if (!interactive) {
            log.println(line(point));
            log.flush();
        }
    }

    static String line(BenchPoint p) {
        String what = p.model() + " " + p.precision() + " batch " + p.batchSize()
                + (p.seqLength() == null ? "" : " seq " + p.seqLength());
        if (p.oom()) {
            return what + ": out of memory";
        }
        return String.format(Locale.ROOT, "%s: %.2f ms, %.1f samples/s, peak %.0f MiB", what, p.stepMs(),
                p.samplesPerS(), p.peakMemoryBytes() == null || p.peakMemoryBytes() < 0 ? Double.NaN
                        : p.peakMemoryBytes() / 1048576.0);
    }

    private BenchReport report(boolean complete) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("batch_sizes", settings.batchSizes());
        s.put("seq_lengths", settings.seqLengths());
        s.put("precisions", settings.precisions().stream().map(Precision::label).toList());
        s.put("warmup", settings.warmup());
        s.put("iterations", settings.iterations());
        s.put("with_optimizer", settings.withOptimizer());
        s.put("optimizer", settings.withOptimizer() ? "sgd lr 0.01 momentum 0.9" : "none");
        s.put("memory_format", settings.channelsLast() ? "channels_last" : "nchw");
        s.put("device", DeviceList.label(devices));
        s.put("devices", devices.size());
        s.put("seed", settings.seed());
        return new BenchReport(BenchReport.SCHEMA, settings.kind(), complete, started,
                complete ? Instant.now().toString() : null, command, settings.model().label(), s, machine, points,
                maxBatch);
    }
}
