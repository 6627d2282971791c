package io.dlstation.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.dlstation.engine.CudaRuntime;
import io.dlstation.engine.DeviceList;
import io.dlstation.engine.MemoryProbe;
import io.dlstation.engine.OomRecognizer;
import io.dlstation.engine.OutOfDeviceMemoryException;
import io.dlstation.engine.Precision;
import io.dlstation.engine.Scopes;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.models.ModelFolder;
import io.dlstation.models.StateDicts;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import io.dlstation.time.Ticker;
import io.dlstation.train.step.FlatOptimizer;
import io.dlstation.train.step.Losses;
import io.dlstation.train.step.TrainingStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One training run, start to end: model and data, optional batch-size search, then epochs of
 * optimiser steps (each of {@code accumulate} micro-batches), validation after every epoch, early
 * stopping, checkpoints, metrics, and the trained model exported as a model folder.
 *
 * <p>The run's folder holds {@code checkpoints/}, {@code metrics.csv}, {@code tensorboard/}, {@code
 * model/} and {@code summary.json}. With {@code resume}, the newest complete checkpoint decides where
 * the run continues: the same parameters, optimiser state, loss scale, data position and settings, so
 * the result is that of an uninterrupted run.
 */
public final class Trainer {
    private static final int FIRST_TRIAL_BATCH = 16;
    private static final int TRIAL_STEPS = 2;

    private final TrainSettings requested;
    private final boolean resume;
    private final Device device;
    private final Placement placement;
    private final DataOpener dataOpener;
    private final MemoryProbe memory;
    private final TrainProgress progress;
    private final Clock clock;

    /** Opens a run's data on the training device (so tests and the CLI can choose the source). */
    @FunctionalInterface
    public interface DataOpener {
        TrainingData open(TrainSettings settings, NDManager manager, DataType computeType);
    }

    /**
     * Where a run trains: one device, or several with a data-parallel replica on each ({@code
     * --batch-size} is then the global batch, split evenly).
     *
     * @param devices the devices, the first holding the replica that is checkpointed, validated and
     *     exported
     * @param replicaCheckEvery with several devices, compare the replicas' weights every this many
     *     steps (0: never)
     */
    public record Placement(List<Device> devices, int replicaCheckEvery) {
        public Placement {
            devices = List.copyOf(devices);
            if (devices.isEmpty() || replicaCheckEvery < 0) {
                throw new IllegalArgumentException("no devices, or a negative replica check interval");
            }
        }

        /** One device. */
        public static Placement of(Device device) {
            return new Placement(List.of(device), 0);
        }

        /** The devices as users read them, e.g. "gpu(0), gpu(1)". */
        public String label() {
            return DeviceList.label(devices);
        }
    }

    public Trainer(TrainSettings settings, boolean resume, Device device, DataOpener dataOpener, MemoryProbe memory,
            TrainProgress progress, Clock clock) {
        this(settings, resume, Placement.of(device), dataOpener, memory, progress, clock);
    }

    public Trainer(TrainSettings settings, boolean resume, Placement placement, DataOpener dataOpener,
            MemoryProbe memory, TrainProgress progress, Clock clock) {
        this.requested = settings;
        this.resume = resume;
        this.placement = placement;
        this.device = placement.devices().get(0);
        this.dataOpener = dataOpener;
        this.memory = memory;
        this.progress = progress;
        this.clock = clock;
    }

    /** Runs to the end (epochs, steps or early stop) and returns the summary, also written to summary.json. */
    public TrainSummary run() {
        Path out = requested.out();
        CheckpointStore store = new CheckpointStore(out.resolve("checkpoints"), requested.keepCheckpoints(),
                progress::warn);
        if (!resume && !store.folders().isEmpty()) {
            throw DlstationException.badInput("--out " + out + " already holds a run (" + store.folders().get(0)
                    + "); add --resume to continue it, or choose another --out");
        }
        if (!requested.autoBatchSize()) {
            int batch = requested.batchSize();
            requireEvenSplit(batch, "--batch-size " + batch + " (the global batch)", "use a multiple of " + devices()
                    + ", e.g. " + Math.max(devices(), batch / devices() * devices()));
        }
        placement.devices().forEach(CudaRuntime::benchmarkConvolutions);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Optional<CheckpointStore.Loaded> checkpoint = resume ? Optional.of(newestCheckpoint(store, manager))
                    : Optional.empty();
            TrainSettings settings = checkpoint.map(c -> continued(c.manifest().settings())).orElse(requested);
            return train(settings, checkpoint, store, manager);
        } finally {
            placement.devices().forEach(CudaRuntime::release);
        }
    }

    private TrainSummary train(TrainSettings settings, Optional<CheckpointStore.Loaded> checkpoint,
            CheckpointStore store, NDManager manager) {
        manager.getEngine().setRandomSeed((int) settings.seed());
        DataType computeType = settings.precision() == Precision.FP16_MIXED ? DataType.FLOAT16 : DataType.FLOAT32;
        try (TrainingData data = dataOpener.open(settings, manager, computeType)) {
            progress.info(data.describe());
            TrainingStep step = Replicas.newStep(settings, data.labels().size(), device, manager, null);
            TorchModule model = step.model();
            ModelParameters parameters = step.parameters();
            progress.info(String.format(Locale.ROOT, "%s: %,d parameters, %s on %s", settings.model(),
                    parameters.trainableCount(), settings.precision(), placement.label()));
            Position start = Position.START;
            EarlyStopping stopping;
            TrainSettings run = settings;
            if (checkpoint.isPresent()) {
                start = restore(checkpoint.get(), data, parameters, step);
                stopping = new EarlyStopping(settings.earlyStopPatience(), settings.earlyStopMinDelta(),
                        checkpoint.get().manifest().progress());
            } else {
                stopping = new EarlyStopping(settings.earlyStopPatience(), settings.earlyStopMinDelta(), null);
                if (settings.autoBatchSize()) {
                    run = settings.withBatchSize(findBatchSize(settings, data, model, parameters, step, manager));
                }
            }
            if (data.batchesPerEpoch(run.batchSize()) < 1) {
                throw DlstationException.badInput("--batch-size " + run.batchSize() + " is larger than the "
                        + data.trainSize() + " training samples; use a smaller batch");
            }
            requireEvenSplit(run.batchSize(), "the checkpoint's batch size " + run.batchSize(),
                    "resume on a number of devices that divides it");
            try (Replicas replicas = Replicas.open(placement, step, settings, data.labels().size())) {
                if (replicas.parallel() != null) {
                    progress.info(String.format(Locale.ROOT, "data parallel over %d devices: %d samples per device, "
                            + "global batch %d", devices(), run.batchSize() / devices(),
                            run.batchSize()));
                }
                TrainLoop loop = new TrainLoop(run, placement.label(), model, parameters, replicas.runner(), data, store,
                        memory, progress, clock, Ticker.system(), stopping);
                TrainSummary summary = loop.run(start, manager);
                export(run, data, parameters, manager, summary);
                TrainSummary.write(run.out().resolve("summary.json"), summary);
                return summary;
            }
        }
    }

    private int devices() {
        return placement.devices().size();
    }

    /** Refuses a global batch that does not split into equal shards, one per device. */
    private void requireEvenSplit(int batch, String subject, String fix) {
        if (batch % devices() != 0) {
            throw DlstationException.badInput(subject + " does not split evenly over " + devices() + " devices; " + fix);
        }
    }

    /** A resumed run keeps its saved settings except how long it runs. */
    private TrainSettings continued(TrainSettings saved) {
        if (saved.model() != requested.model()) {
            throw DlstationException.badInput("--resume: " + requested.out() + " holds a " + saved.model()
                    + " run, not " + requested.model() + "; resume with --model " + saved.model()
                    + " or choose another --out");
        }
        return saved.withLength(requested.epochs(), requested.maxSteps(), requested.out());
    }

    private CheckpointStore.Loaded newestCheckpoint(CheckpointStore store, NDManager manager) {
        if (store.folders().isEmpty()) {
            throw DlstationException.badInput("--resume: " + requested.out().resolve("checkpoints")
                    + " holds no checkpoint; start the run without --resume");
        }
        return store.loadNewest(manager).orElseThrow(() -> DlstationException.badInput("--resume: no checkpoint in "
                + requested.out().resolve("checkpoints") + " is complete (see the warnings above)"));
    }

    private Position restore(CheckpointStore.Loaded checkpoint, TrainingData data, ModelParameters parameters,
            TrainingStep step) {
        CheckpointManifest m = checkpoint.manifest();
        if (!data.labels().equals(m.labels())) {
            throw DlstationException.badInput("--resume: the data's classes " + data.labels()
                    + " differ from the checkpoint's " + m.labels() + "; resume on the same data");
        }
        StateDicts.load(parameters, checkpoint.model(), checkpoint.folder().resolve(CheckpointStore.MODEL_FILE).toString());
        if (!m.optimizer().name().equals(step.optimizer().name())) {
            throw DlstationException.badInput("--resume: the checkpoint's optimiser is " + m.optimizer().name());
        }
        step.optimizer().restore(new FlatOptimizer.State(checkpoint.optimizer(), m.optimizer().counters()),
                parameters.normValues());
        // the values were copied into the parameters and the optimiser: free the loaded tensors now
        checkpoint.model().values().forEach(NDArray::close);
        checkpoint.optimizer().values().forEach(NDArray::close);
        if (step.scaler() != null && m.lossScale() != null) {
            step.scaler().restore(m.lossScale());
        }
        progress.info(String.format(Locale.ROOT, "resuming from %s: step %d, epoch %d, batch %d of the epoch",
                checkpoint.folder(), m.step(), m.epoch() + 1, m.batchInEpoch()));
        return new Position(m.step(), m.epoch(), m.batchInEpoch(), m.samplesSeen());
    }

    /**
     * Runs the search with trial steps of their own (their own loss scaler and skip count) over the
     * run's parameters and optimiser, whose memory the trials must include, and puts both back after.
     */
    private int findBatchSize(TrainSettings settings, TrainingData data, TorchModule model,
            ModelParameters parameters, TrainingStep step, NDManager manager) {
        int replicas = devices();
        BatchSizeFinder.Limit limit = BatchSizeFinder.Limit.of(settings.maxBatchSize(), data.trainSize(), replicas);
        progress.info("finding the largest batch size that fits " + (replicas > 1 ? "on one device " : "")
                + "(up to " + limit.batchSize() + ")...");
        TrainingStep trialStep = new TrainingStep(model, parameters, Losses::crossEntropy, step.optimizer())
                .clipGradientNorm(settings.clipGradNorm());
        NDList snapshot = parameters.snapshot(manager);
        BatchSizeFinder.Result result;
        try {
            result = BatchSizeFinder.find(Math.min(FIRST_TRIAL_BATCH, limit.batchSize()), limit.batchSize(),
                    settings.batchSizeMargin(), size -> trialFits(size, data, trialStep, manager));
        } finally {
            parameters.restore(snapshot);
            snapshot.close();
            step.optimizer().restore(new FlatOptimizer.State(Map.of(), Map.of()), parameters.normValues());
            CudaRuntime.release(device);
        }
        if (result.largestFit() == 0) {
            throw new DlstationException(ErrorCode.UNSUPPORTED, settings.model() + " does not fit on " + device
                    + " even at batch size 1 with " + settings.precision() + "; free the GPU, use fp16-mixed, "
                    + "a smaller --input-size or a smaller model");
        }
        progress.info(result.explanation(settings.batchSizeMargin(), limit));
        if (replicas > 1) {
            progress.info(String.format(Locale.ROOT, "%d samples per device x %d devices = global batch %d",
                    result.chosen(), replicas, result.chosen() * replicas));
        }
        return result.chosen() * replicas;
    }

    private boolean trialFits(int size, TrainingData data, TrainingStep step, NDManager manager) {
        try (NDManager trial = manager.newSubManager()) {
            TrainingData.Batch batch = data.trialBatch(trial, size);
            for (int i = 0; i < TRIAL_STEPS; i++) {
                try (NDManager scope = trial.newSubManager()) {
                    step.accumulate(Scopes.views(batch.inputs(), scope), Scopes.views(new NDList(batch.labels()), scope)
                            .head(), 1);
                    step.update(scope);
                }
            }
            return true;
        } catch (RuntimeException e) {
            OutOfDeviceMemoryException oom = OomRecognizer.translate(e, device.toString(), "batch " + size);
            if (oom == null) {
                throw e;
            }
            return false;
        } finally {
            CudaRuntime.release(device);
        }
    }

    private void export(TrainSettings settings, TrainingData data, ModelParameters parameters, NDManager manager,
            TrainSummary summary) {
        try (NDManager scratch = manager.newSubManager()) {
            List<Long> shape = java.util.Arrays.stream(data.sampleShape()).boxed().toList();
            ModelFolder.Input input = settings.model().takesSequences()
                    ? new ModelFolder.Input("input_ids", "INT64", shape, null, null)
                    : new ModelFolder.Input("input", "FP32", shape, ImageTensors.MEAN.clone(), ImageTensors.STD.clone());
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("run", settings.out().toAbsolutePath().normalize().toString());
            source.put("step", summary.steps());
            source.put("validation_accuracy", summary.validationAccuracy());
            source.put("exported", Instant.now(clock).toString());
            ModelFolder.Description description = new ModelFolder.Description(1, "dlstation", settings.model(),
                    List.of(input), "softmax", Math.min(5, data.labels().size()), data.labels(), settings.precision(),
                    source);
            ModelFolder.write(settings.out().resolve("model"), description, parameters.stateDict(scratch));
        }
    }

    /** Where a run stands: optimiser steps done, the epoch in progress and micro-batches consumed in it. */
    record Position(long step, int epoch, long batchInEpoch, long samplesSeen) {
        static final Position START = new Position(0, 0, 0, 0);
    }
}
