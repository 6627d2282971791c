package io.dlstation.cli;

import ai.djl.Device;
import io.dlstation.data.DataSpec;
import io.dlstation.engine.DeviceList;
import io.dlstation.engine.MemoryProbes;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.models.Architecture;
import io.dlstation.train.LrSchedule;
import io.dlstation.train.OptimizerKind;
import io.dlstation.train.Trainer;
import io.dlstation.train.TrainingDataSources;
import io.dlstation.train.TrainSettings;
import io.dlstation.train.TrainSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlstation train}: one training run with checkpoints, metrics, TensorBoard logs and an exported model. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model: fp32 or fp16 mixed precision, gradient accumulation, automatic batch size, "
                + "checkpoints, validation, early stopping, metrics.csv and TensorBoard logs; the trained model is "
                + "exported to OUT/model for 'dlstation serve'.",
            "Example: dlstation train --model small-cnn --data shapes --epochs 5"})
final class TrainCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    EngineOptions engine;

    @Mixin
    DevicesOption devicesOption;

    @Option(names = "--check-replicas", paramLabel = "N", defaultValue = "0",
            description = "With several devices: compare the replicas' weights every N steps and stop if they differ "
                    + "(a debug check; default 0, off).")
    int checkReplicas;

    @Option(names = "--model", required = true, description = "small-cnn, resnet18, resnet50 or bert-base.")
    String model;

    @Option(names = "--data", defaultValue = "shapes", paramLabel = "shapes|imagefolder:DIR|synthetic",
            description = "Built-in generated shapes, a folder per class of JPEG/PNG images, or random tensors "
                    + "for throughput (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (default 10 unless --max-steps is given).")
    Integer epochs;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after this many optimiser steps.")
    Long maxSteps;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N|auto",
            description = "Samples per step's forward pass (with --devices: the global batch, split evenly), or auto: "
                    + "the largest that fits (default ${DEFAULT-VALUE}).")
    String batchSize;

    @Option(names = "--batch-size-margin", defaultValue = "0.05", paramLabel = "F",
            description = "With --batch-size auto: leave this fraction of the largest batch that fits unused, for "
                    + "what the trial steps do not see (allocator fragmentation, buffers made later; default ${DEFAULT-VALUE}).")
    double batchSizeMargin;

    @Option(names = "--max-batch-size", defaultValue = "4096", paramLabel = "N",
            description = "With --batch-size auto: the largest batch tried (default ${DEFAULT-VALUE}).")
    int maxBatchSize;

    @Option(names = "--accumulate", defaultValue = "1", paramLabel = "K",
            description = "Micro-batches per optimiser step (gradient accumulation; default ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|fp16-mixed",
            description = "fp16-mixed: float16 compute, float32 master weights, dynamic loss scaling (default ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "sgd|adamw", description = "Default ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default 0.05 for sgd, 0.001 for adamw).")
    Float lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "X", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "X", description = "Default ${DEFAULT-VALUE}.")
    float weightDecay;

    @Option(names = "--clip-grad-norm", defaultValue = "0", paramLabel = "X",
            description = "Clip gradients to this global L2 norm (0: off).")
    float clipGradNorm;

    @Option(names = "--lr-schedule", defaultValue = "constant", paramLabel = "constant|cosine",
            description = "Default ${DEFAULT-VALUE}.")
    String lrSchedule;

    @Option(names = "--warmup-steps", defaultValue = "0", paramLabel = "N", description = "Linear learning-rate warm-up.")
    int warmupSteps;

    @Option(names = "--input-size", paramLabel = "N",
            description = "Image side in pixels (small-cnn 32, resnet18 64, resnet50 224) or sequence length (bert-base 128).")
    Integer inputSize;

    @Option(names = "--train-size", defaultValue = "8000", paramLabel = "N",
            description = "Training samples of shapes or synthetic data (default ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--val-size", defaultValue = "2000", paramLabel = "N",
            description = "Validation samples of shapes data (default ${DEFAULT-VALUE}).")
    int validationSize;

    @Option(names = "--workers", paramLabel = "N", description = "Data loading threads (default: the CPU cores, at most 16).")
    Integer workers;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed for weights and data (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N",
            description = "Also checkpoint every N steps (always at each epoch's end and at the end).")
    int checkpointEvery;

    @Option(names = "--keep-checkpoints", defaultValue = "3", paramLabel = "N", description = "Default ${DEFAULT-VALUE}.")
    int keepCheckpoints;

    @Option(names = "--early-stop-patience", defaultValue = "0", paramLabel = "N",
            description = "Stop after N epochs without validation-loss improvement (0: off).")
    int earlyStopPatience;

    @Option(names = "--early-stop-min-delta", defaultValue = "0", paramLabel = "X",
            description = "The least improvement that counts.")
    double earlyStopMinDelta;

    @Option(names = "--log-every", defaultValue = "50", paramLabel = "N",
            description = "Steps between metrics rows and TensorBoard points (default ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--out", paramLabel = "DIR", description = "The run's folder (default runs/MODEL-DATA-TIME).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its newest complete checkpoint.")
    boolean resume;

    TrainCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (resume && out == null) {
            throw DlstationException.badInput("--resume needs --out: the folder of the run to continue");
        }
        TrainSettings settings = settings();
        if (checkReplicas < 0) {
            throw DlstationException.badInput("--check-replicas " + checkReplicas + " is negative; use 0 (off) or more");
        }
        DeviceList deviceList = devicesOption.apply(engine);
        var engineSettings = engine.settings(common.load(context), context.env());
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (GpuTelemetry telemetry = context.telemetry().get()) {
            List<Device> devices = DevicesOption.resolve(deviceList, StartedEngine.start(engineSettings, telemetry,
                    context));
            Trainer.Placement placement = new Trainer.Placement(devices, checkReplicas);
            err.printf(Locale.ROOT, "dlstation train: %s on %s, %s, run folder %s%n", settings.model(),
                    placement.label(), settings.precision(), settings.out());
            err.flush();
            ConsoleTrainProgress progress = new ConsoleTrainProgress(err, System.console() != null);
            Trainer trainer = new Trainer(settings, resume, placement,
                    (s, manager, type) -> TrainingDataSources.open(s, manager, type, progress::warn),
                    MemoryProbes.forDevice(devices.get(0), telemetry), progress, Clock.systemUTC());
            TrainSummary summary = trainer.run();
            stdout.print(describe(summary));
            stdout.flush();
            return 0;
        }
    }

    /** The run's settings from the flags, every value checked. */
    TrainSettings settings() {
        Architecture architecture = Architecture.parse(model);
        TrainSettings.Builder settings = TrainSettings.builder()
                .setModel(architecture)
                .setOut(out != null ? out : defaultOut(architecture))
                .optBatchSize(batch())
                .optBatchSizeMargin(batchSizeMargin)
                .optMaxBatchSize(maxBatchSize)
                .optAccumulate(accumulate)
                .optPrecision(Precision.parse(precision))
                .optOptimizer(OptimizerKind.parse(optimizer))
                .optMomentum(momentum)
                .optWeightDecay(weightDecay)
                .optClipGradNorm(clipGradNorm)
                .optLrSchedule(LrSchedule.parse(lrSchedule))
                .optWarmupSteps(warmupSteps)
                .optTrainSize(trainSize)
                .optValidationSize(validationSize)
                .optSeed(seed)
                .optCheckpointEvery(checkpointEvery)
                .optKeepCheckpoints(keepCheckpoints)
                .optEarlyStopPatience(earlyStopPatience)
                .optEarlyStopMinDelta(earlyStopMinDelta)
                .optLogEvery(logEvery)
                .setData(data.isBlank() ? null : DataSpec.parse(data));
        optionalFlags(settings);
        return settings.build();
    }

    /** {@code --batch-size}: a number, or 0 for auto. */
    private int batch() {
        boolean auto = batchSize.strip().equalsIgnoreCase("auto");
        int batch;
        try {
            batch = auto ? 0 : Integer.parseInt(batchSize.strip());
        } catch (NumberFormatException e) {
            throw DlstationException.badInput("--batch-size " + batchSize + ": give a number or 'auto'");
        }
        if (!auto && batch < 1) {
            throw DlstationException.badInput("--batch-size " + batchSize + ": must be at least 1 (or 'auto')");
        }
        return batch;
    }

    /**
     * The flags whose default depends on others: each one left out takes the builder's default (10 epochs
     * unless --max-steps is given, the optimiser's learning rate, the model's input size, the CPU cores as
     * workers, at most 16).
     */
    private void optionalFlags(TrainSettings.Builder settings) {
        if (epochs != null) {
            settings.optEpochs(epochs);
        }
        if (maxSteps != null) {
            settings.optMaxSteps(maxSteps);
        }
        if (lr != null) {
            settings.optLr(lr);
        }
        if (inputSize != null) {
            settings.optInputSize(inputSize);
        }
        if (workers != null) {
            settings.optWorkers(workers);
        }
    }

    /** runs/MODEL-DATA-TIME. */
    private Path defaultOut(Architecture architecture) {
        return Path.of("runs", architecture.label() + "-" + data.replaceAll("[^A-Za-z0-9]+", "_") + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    private static String describe(TrainSummary s) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%nTrained %s (%s, %s) for %d steps, %d samples; stopped by %s.%n",
                s.model(), s.precision(), s.device(), s.steps(), s.samplesSeen(), s.stopReason().replace('_', ' ')));
        text.append(String.format(Locale.ROOT, "  batch %d x %d accumulated; %,.0f samples/s in training steps"
                + "%s%n", s.batchSize(), s.accumulate(), s.trainSamplesPerSecond(), Double.isNaN(s.steadySamplesPerSecond())
                        ? "" : String.format(Locale.ROOT, " (%,.0f after the first log window)", s.steadySamplesPerSecond())));
        if (!Double.isNaN(s.validationAccuracy())) {
            text.append(String.format(Locale.ROOT, "  validation: loss %.4f, accuracy %.2f%% (best loss %.4f)%n",
                    s.validationLoss(), 100 * s.validationAccuracy(), s.bestValidationLoss()));
        }
        if (!Double.isNaN(s.finalLossScale())) {
            text.append(String.format(Locale.ROOT, "  loss scale %.0f at the end, %d steps skipped for inf/NaN gradients%n",
                    s.finalLossScale(), s.skippedSteps()));
        }
        text.append("  checkpoint: ").append(s.lastCheckpoint()).append('\n');
        text.append("  model for 'dlstation serve': ").append(s.modelFolder()).append('\n');
        return text.toString();
    }
}
