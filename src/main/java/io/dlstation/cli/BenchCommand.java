package io.dlstation.cli;

import ai.djl.Device;
import io.dlstation.bench.BenchModel;
import io.dlstation.bench.BenchReport;
import io.dlstation.bench.BenchRun;
import io.dlstation.bench.BenchSettings;
import io.dlstation.bench.Comparison;
import io.dlstation.bench.ReferenceTable;
import io.dlstation.bench.ResultsWriter;
import io.dlstation.bench.SummaryTable;
import io.dlstation.engine.DeviceList;
import io.dlstation.engine.MemoryProbes;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.info.MachineSurvey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlstation bench train|infer|compare|serve}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Training and inference throughput sweeps, largest batch, reports and comparison; load on a model server.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Infer.class, BenchCommand.Compare.class,
            BenchServeCommand.class})
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw DlstationException.badInput("bench needs a verb: train, infer, compare or serve ('dlstation bench --help')");
    }

    /** Options shared by the train and infer sweeps. */
    abstract static class Sweep implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        EngineOptions engine;

        @Mixin
        DevicesOption devicesOption;

        @Option(names = "--model", required = true, description = "resnet18, resnet34, resnet50, resnet101 or bert-base.")
        String model;

        @Option(names = "--batch-sizes", split = ",", paramLabel = "N,N,...",
                description = "Batch sizes (default: 16,32,64,128; 32 for bert-base).")
        List<Integer> batchSizes;

        @Option(names = "--batch-size", paramLabel = "N", description = "One batch size (same as --batch-sizes N).")
        Integer batchSize;

        @Option(names = "--seq-lengths", split = ",", paramLabel = "N,N,...",
                description = "Sequence lengths for bert-base (default 128,256,512; at most 512).")
        List<Integer> seqLengths;

        @Option(names = "--warmup", defaultValue = "10", description = "Untimed steps per point (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--iterations", defaultValue = "100", description = "Timed steps per point (default ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--out", paramLabel = "DIR", description = "Where the results go (default bench-results/MODEL-KIND-TIME).")
        Path out;

        @Option(names = "--on-oom", defaultValue = "stop", paramLabel = "stop|continue",
                description = "After an out-of-memory point: stop this precision's sweep, or continue (default ${DEFAULT-VALUE}).")
        String onOom;

        @Option(names = "--find-max-batch", description = "Also find the largest batch that fits (doubling, then binary search).")
        boolean findMaxBatch;

        @Option(names = "--max-batch-limit", defaultValue = "4096", description = "Largest batch --find-max-batch tries (default ${DEFAULT-VALUE}).")
        int maxBatchLimit;

        @Option(names = "--memory-format", defaultValue = "auto", paramLabel = "auto|nchw|channels-last",
                description = "Image layout: channels-last on a GPU, nchw on the CPU by default.")
        String memoryFormat;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed for weights and data (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print the final results.json instead of the table.")
        boolean json;

        abstract String kind();

        abstract List<Precision> precisions();

        abstract boolean withOptimizer();

        @Override
        public Integer call() {
            BenchModel benchModel = BenchModel.parse(model);
            List<Precision> precisionList = precisions();
            DeviceList deviceList = devicesOption.apply(engine);
            var settings = engine.settings(common.load(context()), context().env());
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (GpuTelemetry telemetry = context().telemetry().get()) {
                StartedEngine started = StartedEngine.start(settings, telemetry, context());
                MachineSurvey.Result survey = started.survey();
                List<Device> devices = DevicesOption.resolve(deviceList, started);
                Device device = devices.get(0);
                BenchSettings bench = new BenchSettings(kind(), benchModel, batchSizes(benchModel), seqLengths(benchModel),
                        precisionList, warmup, iterations, withOptimizer(), findMaxBatch, maxBatchLimit, stopOnOom(),
                        channelsLast(device), seed, out == null ? defaultOut(benchModel) : out);
                err.printf(Locale.ROOT, "dlstation bench %s: %s on %s, %d points, results in %s%n", kind(), benchModel,
                        DeviceList.label(devices), bench.points().size(), bench.out());
                err.flush();
                BenchReport report = new BenchRun(bench, devices, MemoryProbes.forDevice(device, telemetry),
                        survey.report(), commandLine(), err, System.console() != null).run();
                stdout.print(json ? Json.write(report) + "\n" : SummaryTable.table(report));
                stdout.printf("%nWrote %s, %s, %s and %s in %s%n", ResultsWriter.JSON, ResultsWriter.CSV,
                        ResultsWriter.SUMMARY, ResultsWriter.CHART, bench.out());
                stdout.flush();
                return 0;
            }
        }

        CliContext cliContext;

        private CliContext context() {
            return cliContext;
        }

        private List<Integer> batchSizes(BenchModel m) {
            if (batchSize != null && batchSizes != null) {
                throw DlstationException.badInput("give --batch-size or --batch-sizes, not both");
            }
            if (batchSize != null) {
                return List.of(batchSize);
            }
            if (batchSizes != null) {
                return batchSizes;
            }
            return m.isSequenceModel() ? List.of(32) : List.of(16, 32, 64, 128);
        }

        private List<Integer> seqLengths(BenchModel m) {
            if (seqLengths != null) {
                return seqLengths;
            }
            return m.isSequenceModel() ? List.of(128, 256, 512) : List.of();
        }

        private boolean stopOnOom() {
            return switch (onOom) {
                case "stop" -> true;
                case "continue" -> false;
                default -> throw DlstationException.badInput("--on-oom " + onOom + ": use stop or continue");
            };
        }

        private boolean channelsLast(Device device) {
            return switch (memoryFormat) {
                case "auto" -> device.isGpu();
                case "nchw" -> false;
                case "channels-last" -> true;
                default -> throw DlstationException.badInput("--memory-format " + memoryFormat
                        + ": use auto, nchw or channels-last");
            };
        }

        private Path defaultOut(BenchModel m) {
            String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            return Path.of("bench-results", m.label() + "-" + kind() + "-" + time);
        }

        private List<String> commandLine() {
            List<String> args = new ArrayList<>(List.of("dlstation"));
            args.addAll(spec.commandLine().getParseResult().originalArgs());
            return args;
        }

        static List<Precision> parsePrecisions(String text) {
            return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Precision::parse)
                    .distinct().toList();
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Training throughput: forward + loss + backward (+ optimizer step) per batch size or sequence length.")
    static final class Train extends Sweep {
        @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|fp16-mixed[,...]",
                description = "Precision(s) (default ${DEFAULT-VALUE}); bf16 is not available in DJL's engine.")
        String precision;

        @Option(names = "--with-optimizer", description = "Include an SGD (momentum 0.9) step in every measured step.")
        boolean optimizer;

        Train(CliContext context) {
            this.cliContext = context;
        }

        @Override
        String kind() {
            return "train";
        }

        @Override
        List<Precision> precisions() {
            return parsePrecisions(precision);
        }

        @Override
        boolean withOptimizer() {
            return optimizer;
        }
    }

    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = "Inference latency (p50/p90/p99) and throughput per batch size.")
    static final class Infer extends Sweep {
        @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|fp16[,...]",
                description = "Precision(s) (default ${DEFAULT-VALUE}).")
        String precision;

        Infer(CliContext context) {
            this.cliContext = context;
        }

        @Override
        String kind() {
            return "infer";
        }

        @Override
        List<Precision> precisions() {
            return parsePrecisions(precision);
        }

        @Override
        boolean withOptimizer() {
            return false;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Compare a results.json with published figures (Markdown table and bar chart).")
    static final class Compare implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RESULTS", description = "A results.json from bench train or bench infer.")
        Path results;

        @Option(names = "--reference", paramLabel = "FILE", description = "A reference CSV instead of the bundled one.")
        Path reference;

        @Option(names = "--out", paramLabel = "DIR", description = "Where compare.md and compare.png go (default: beside RESULTS).")
        Path out;

        @Override
        public Integer call() {
            BenchReport report = Comparison.readResults(results);
            List<ReferenceTable.Row> rows = reference == null ? ReferenceTable.bundled() : ReferenceTable.read(reference);
            List<Comparison.Entry> entries = Comparison.entries(report, rows);
            Path folder = out != null ? out : results.toAbsolutePath().getParent();
            String chartProblem = Comparison.write(folder, report, entries);
            PrintWriter w = spec.commandLine().getOut();
            w.print(Comparison.markdown(entries));
            w.printf("%nWrote compare.md%s in %s%n", chartProblem == null ? " and compare.png" : "", folder);
            if (chartProblem != null) {
                spec.commandLine().getErr().println("dlstation: compare.png not written: " + chartProblem);
            }
            w.flush();
            return 0;
        }
    }
}
