package io.dlstation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dlstation.engine.MemoryProbe;
import io.dlstation.engine.OomRecognizer;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import io.dlstation.time.Ticker;
import io.dlstation.train.step.FlatOptimizer;
import io.dlstation.train.step.StepRunner;
import io.dlstation.train.step.TrainingStep;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The epochs of a run: optimiser steps of {@code accumulate} micro-batches each, a log point every
 * {@code logEvery} steps (the only place the loss is read back, so the device is never waited for in
 * between, except where fp16-mixed or clipping must read the gradients), validation and early
 * stopping after each epoch, and checkpoints. Each step's arrays live in their own scope. Elapsed
 * times (throughput, training time, the metrics' seconds since the start) come from the injected
 * {@link Ticker}; the checkpoints' and metrics rows' wall times from the {@link Clock}.
 */
final class TrainLoop {
    private final TrainSettings settings;
    private final String devices;
    private final TorchModule model;
    private final ModelParameters parameters;
    private final StepRunner step;
    private final TrainingData data;
    private final CheckpointStore store;
    private final MemoryProbe memory;
    private final TrainProgress progress;
    private final Clock clock;
    private final Ticker ticker;
    private final EarlyStopping stopping;
    private final List<long[]> lossScales = new ArrayList<>();

    private long steps;
    private int epoch;
    private long batchInEpoch;
    private long samplesSeen;
    private long trainNanos;
    private long trainSamples;
    private boolean firstWindowDone;
    private long steadySamples;
    private double steadySeconds;
    private double lastTrainLoss = Double.NaN;
    private Validation.Result lastValidation;
    private Path lastCheckpoint;
    private long lastCheckpointStep = -1;

    TrainLoop(TrainSettings settings, String devices, TorchModule model, ModelParameters parameters, StepRunner step,
            TrainingData data, CheckpointStore store, MemoryProbe memory, TrainProgress progress, Clock clock,
            Ticker ticker, EarlyStopping stopping) {
        this.settings = settings;
        this.devices = devices;
        this.model = model;
        this.parameters = parameters;
        this.step = step;
        this.data = data;
        this.store = store;
        this.memory = memory;
        this.progress = progress;
        this.clock = clock;
        this.ticker = ticker;
        this.stopping = stopping;
    }

    TrainSummary run(Trainer.Position start, NDManager manager) {
        steps = start.step();
        epoch = start.epoch();
        batchInEpoch = start.batchInEpoch();
        samplesSeen = start.samplesSeen();
        boolean resumed = steps > 0 || batchInEpoch > 0 || epoch > 0;
        int batch = settings.batchSize();
        long batchesPerEpoch = data.batchesPerEpoch(batch);
        long stepsPerEpoch = ceilDiv(batchesPerEpoch, settings.accumulate());
        long totalSteps = Math.min(settings.maxSteps() > 0 ? settings.maxSteps() : Long.MAX_VALUE,
                settings.epochs() > 0 ? settings.epochs() * stepsPerEpoch : Long.MAX_VALUE);
        LearningRateSchedule schedule = new LearningRateSchedule(settings.lr(), settings.lrSchedule() == LrSchedule.COSINE,
                settings.warmupSteps(), totalSteps);
        progress.info(String.format(Locale.ROOT, "batch %d x %d micro-batches = %d samples per step; %d steps per "
                + "epoch; %s", batch, settings.accumulate(), batch * settings.accumulate(), stepsPerEpoch,
                totalSteps == Long.MAX_VALUE ? "until stopped" : totalSteps + " steps in all"));
        String stopReason = settings.maxSteps() > 0 && steps >= settings.maxSteps() ? "max_steps" : "epochs";
        long startNanos = ticker.read();
        try (MetricsLog log = MetricsLog.open(settings.out(), resumed ? steps : -1, clock)) {
            boolean validatedAtEnd = false;
            while ((settings.epochs() == 0 || epoch < settings.epochs()) && steps < totalSteps) {
                validatedAtEnd = false;
                runEpoch(manager, log, schedule, batchesPerEpoch, stepsPerEpoch, totalSteps, startNanos);
                if (batchInEpoch < batchesPerEpoch) {
                    stopReason = "max_steps"; // the step limit ended the run inside the epoch
                    break;
                }
                boolean stop = validate(manager, log, startNanos);
                validatedAtEnd = true;
                epoch++;
                batchInEpoch = 0;
                checkpoint(manager);
                if (stop) {
                    stopReason = "early_stopping";
                    progress.info(String.format(Locale.ROOT, "early stopping: the validation loss has not improved "
                            + "by %g for %d epochs (best %.4f)", settings.earlyStopMinDelta(),
                            settings.earlyStopPatience(), stopping.best()));
                    break;
                }
                if (steps >= totalSteps) {
                    stopReason = settings.maxSteps() > 0 && steps >= settings.maxSteps() ? "max_steps" : "epochs";
                }
            }
            if (!validatedAtEnd) {
                validate(manager, log, startNanos);
            }
            checkpoint(manager);
        }
        return summary(stopReason);
    }

    private void runEpoch(NDManager manager, MetricsLog log, LearningRateSchedule schedule, long batchesPerEpoch,
            long stepsPerEpoch, long totalSteps, long startNanos) {
        int batch = settings.batchSize();
        int accumulate = settings.accumulate();
        progress.epochStarted(epoch, settings.epochs(), stepsPerEpoch, batchInEpoch / accumulate);
        Window window = new Window(manager, ticker);
        try (TrainingData.Epoch batches = data.train(epoch, batchInEpoch, batch)) {
            long segmentStart = ticker.read();
            long waitStart = batches.waitNanos();
            while (batches.hasNext() && steps < totalSteps) {
                int micro = (int) Math.min(accumulate, batchesPerEpoch - batchInEpoch);
                step.setLearningRate(schedule.at(steps));
                TrainingStep.Update update;
                try (NDManager scope = manager.newSubManager()) {
                    for (int i = 0; i < micro; i++) {
                        TrainingData.Batch b = batches.next(scope);
                        NDArray loss = OomRecognizer.guard(devices, "a training step at batch " + batch,
                                () -> step.accumulate(b.inputs(), b.labels(), micro));
                        window.add(loss, b.count());
                        samplesSeen += b.count();
                        trainSamples += b.count();
                    }
                    update = step.update(scope);
                }
                batchInEpoch += micro;
                steps++;
                window.gradientNorm = update.gradientNorm();
                boolean endOfEpoch = !batches.hasNext() || steps >= totalSteps;
                String status = window.status;
                if (steps % settings.logEvery() == 0 || endOfEpoch) {
                    status = logTrain(log, window, batches.waitNanos() - waitStart, startNanos);
                    waitStart = batches.waitNanos();
                    window.reset(status);
                }
                progress.stepped(ceilDiv(batchInEpoch, accumulate), status);
                if (settings.checkpointEvery() > 0 && steps % settings.checkpointEvery() == 0) {
                    trainNanos += ticker.read() - segmentStart;
                    checkpoint(manager);
                    segmentStart = ticker.read();
                }
            }
            trainNanos += ticker.read() - segmentStart;
        } finally {
            window.close();
            progress.epochEnded();
        }
    }

    /** Reads the window's losses (the one wait for the device) and records a training row. */
    private String logTrain(MetricsLog log, Window window, long waitNanos, long startNanos) {
        double loss = window.meanLoss();
        lastTrainLoss = loss;
        double seconds = (ticker.read() - window.startNanos) / 1e9;
        double samplesPerSecond = window.samples / seconds;
        if (firstWindowDone) {
            steadySamples += window.samples;
            steadySeconds += seconds;
        }
        firstWindowDone = true; // the first window holds the warm-up: cuDNN's algorithm search, the loader's start
        double memoryGib = memory.usedBytes() / (double) (1L << 30);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", loss);
        values.put("learning_rate", (double) step.optimizer().learningRate());
        values.put("samples_per_s", samplesPerSecond);
        values.put("data_wait_pct", 100.0 * waitNanos / 1e9 / seconds);
        values.put("gpu_memory_gib", memoryGib);
        if (step.scaler() != null) {
            values.put("loss_scale", (double) step.scaler().scale());
            lossScales.add(new long[] {steps, (long) step.scaler().scale()});
        }
        values.put("grad_norm", window.gradientNorm);
        values.put("skipped_steps", (double) step.skippedSteps());
        log.record(steps, epoch, "train", values, (ticker.read() - startNanos) / 1e9);
        return String.format(Locale.ROOT, "loss %.4f | %,.0f samples/s | %.1f GiB%s", loss, samplesPerSecond, memoryGib,
                step.scaler() == null ? "" : String.format(Locale.ROOT, " | scale %.0f", step.scaler().scale()));
    }

    /** Validates and records the result; true when early stopping says stop. */
    private boolean validate(NDManager manager, MetricsLog log, long startNanos) {
        TrainingData.Epoch validation = data.validation(settings.batchSize());
        if (validation == null) {
            return false;
        }
        Validation.Result result = Validation.run(model, validation, manager);
        lastValidation = result;
        boolean stop = stopping.record(result.loss());
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", result.loss());
        values.put("accuracy", result.accuracy());
        log.record(steps, epoch, "validation", values, (ticker.read() - startNanos) / 1e9);
        progress.info(String.format(Locale.ROOT, "epoch %d: validation loss %.4f, accuracy %.2f%% (%d samples)%s",
                epoch + 1, result.loss(), 100 * result.accuracy(), result.samples(),
                stopping.improvedLast() ? ", best so far" : ""));
        return stop;
    }

    private void checkpoint(NDManager manager) {
        if (steps == lastCheckpointStep) {
            return;
        }
        try (NDManager scratch = manager.newSubManager()) {
            FlatOptimizer.State state = step.optimizer().state();
            CheckpointManifest manifest = new CheckpointManifest(1, settings.model().label(), steps, epoch,
                    batchInEpoch, samplesSeen, new CheckpointManifest.OptimizerInfo(step.optimizer().name(),
                            step.optimizer().learningRate(), state.counters()),
                    step.scaler() == null ? null : step.scaler().state(), data.labels(), settings, stopping.state(),
                    Map.of(), Instant.now(clock).toString());
            lastCheckpoint = store.write(manifest, parameters.stateDict(scratch), state.tensors());
            lastCheckpointStep = steps;
        }
    }

    private TrainSummary summary(String stopReason) {
        double seconds = trainNanos / 1e9;
        return new TrainSummary(1, settings.model().label(), settings.precision().label(), devices,
                settings.batchSize(), settings.accumulate(), steps, epoch, samplesSeen, stopReason, lastTrainLoss,
                lastValidation == null ? Double.NaN : lastValidation.loss(),
                lastValidation == null ? Double.NaN : lastValidation.accuracy(), stopping.best(),
                seconds > 0 ? trainSamples / seconds : Double.NaN,
                steadySeconds > 0 ? steadySamples / steadySeconds : Double.NaN, seconds, step.skippedSteps(),
                step.scaler() == null ? Double.NaN : step.scaler().scale(), lossScales,
                lastCheckpoint == null ? null : lastCheckpoint.toString(),
                settings.out().resolve("model").toString());
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The losses of the steps since the last log point, summed on the device. */
    private static final class Window implements AutoCloseable {
        private final NDManager parent;
        private final Ticker ticker;
        private NDManager scope;
        private NDArray lossSum;
        private long microBatches;
        private long samples;
        private long startNanos;
        private double gradientNorm = Double.NaN;
        private String status = "";

        Window(NDManager parent, Ticker ticker) {
            this.parent = parent;
            this.ticker = ticker;
            this.startNanos = ticker.read();
            this.scope = parent.newSubManager();
        }

        void add(NDArray loss, int count) {
            NDArray detached = loss.stopGradient();
            NDArray sum = lossSum == null ? detached.duplicate() : lossSum.add(detached);
            sum.attach(scope);
            lossSum = sum;
            microBatches++;
            samples += count;
        }

        double meanLoss() {
            return lossSum == null ? Double.NaN : lossSum.getFloat() / microBatches;
        }

        void reset(String newStatus) {
            scope.close();
            scope = parent.newSubManager();
            lossSum = null;
            microBatches = 0;
            samples = 0;
            startNanos = ticker.read();
            status = newStatus;
        }

        @Override
        public void close() {
            scope.close();
        }
    }
}
