package io.dlstation.train;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.dlstation.data.DataSpec;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.models.Architecture;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one training run is asked to do, validated: each bad value is refused naming its flag.
 * Built with {@link #builder()}; {@link Builder#build()} holds every check. Saved in every checkpoint's
 * manifest (its JSON is read back through the builder, so a saved run is checked again), and a resumed
 * run continues with the same settings.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
@JsonDeserialize(builder = TrainSettings.Builder.class)
public final class TrainSettings {
    private final Architecture model;
    private final DataSpec data;
    private final int epochs;
    private final long maxSteps;
    private final int batchSize;
    private final double batchSizeMargin;
    private final int maxBatchSize;
    private final int accumulate;
    private final Precision precision;
    private final OptimizerKind optimizer;
    private final float lr;
    private final float momentum;
    private final float weightDecay;
    private final float clipGradNorm;
    private final LrSchedule lrSchedule;
    private final int warmupSteps;
    private final int inputSize;
    private final int trainSize;
    private final int validationSize;
    private final int workers;
    private final long seed;
    private final int checkpointEvery;
    private final int keepCheckpoints;
    private final int earlyStopPatience;
    private final double earlyStopMinDelta;
    private final int logEvery;
    private final Path out;

    private TrainSettings(Builder b, int epochs, long maxSteps, float lr, int inputSize, int workers) {
        this.model = b.model;
        this.data = b.data;
        this.epochs = epochs;
        this.maxSteps = maxSteps;
        this.batchSize = b.batchSize;
        this.batchSizeMargin = b.batchSizeMargin;
        this.maxBatchSize = b.maxBatchSize;
        this.accumulate = b.accumulate;
        this.precision = b.precision;
        this.optimizer = b.optimizer;
        this.lr = lr;
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.clipGradNorm = b.clipGradNorm;
        this.lrSchedule = b.lrSchedule;
        this.warmupSteps = b.warmupSteps;
        this.inputSize = inputSize;
        this.trainSize = b.trainSize;
        this.validationSize = b.validationSize;
        this.workers = workers;
        this.seed = b.seed;
        this.checkpointEvery = b.checkpointEvery;
        this.keepCheckpoints = b.keepCheckpoints;
        this.earlyStopPatience = b.earlyStopPatience;
        this.earlyStopMinDelta = b.earlyStopMinDelta;
        this.logEvery = b.logEvery;
        this.out = b.out;
    }

    /** A builder with every optional value at its default; setModel, setData and setOut are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder().setModel(model).setData(data).optEpochs(epochs).optMaxSteps(maxSteps)
                .optBatchSize(batchSize).optBatchSizeMargin(batchSizeMargin).optMaxBatchSize(maxBatchSize)
                .optAccumulate(accumulate).optPrecision(precision).optOptimizer(optimizer).optLr(lr)
                .optMomentum(momentum).optWeightDecay(weightDecay).optClipGradNorm(clipGradNorm)
                .optLrSchedule(lrSchedule).optWarmupSteps(warmupSteps).optInputSize(inputSize).optTrainSize(trainSize)
                .optValidationSize(validationSize).optWorkers(workers).optSeed(seed)
                .optCheckpointEvery(checkpointEvery).optKeepCheckpoints(keepCheckpoints)
                .optEarlyStopPatience(earlyStopPatience).optEarlyStopMinDelta(earlyStopMinDelta).optLogEvery(logEvery)
                .setOut(out);
    }

    /** The model to train. */
    public Architecture model() {
        return model;
    }

    /** The training data: {@code shapes}, {@code imagefolder:DIR} or {@code synthetic}. */
    public DataSpec data() {
        return data;
    }

    /** Passes over the training data (0 when only {@link #maxSteps()} bounds the run). */
    public int epochs() {
        return epochs;
    }

    /** Optimiser steps after which the run ends (0: no limit). */
    public long maxSteps() {
        return maxSteps;
    }

    /** Samples per forward pass; 0 means find the largest that fits ({@code auto}). */
    public int batchSize() {
        return batchSize;
    }

    /** Under {@code auto}, the fraction kept free below the largest batch that fits. */
    public double batchSizeMargin() {
        return batchSizeMargin;
    }

    /** Under {@code auto}, the largest batch tried. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Forward passes (micro-batches) per optimiser step. */
    public int accumulate() {
        return accumulate;
    }

    /** fp32, or fp16-mixed. */
    public Precision precision() {
        return precision;
    }

    /** The optimiser. */
    public OptimizerKind optimizer() {
        return optimizer;
    }

    /** The learning rate (after the warm-up, before the schedule's decay). */
    public float lr() {
        return lr;
    }

    /** SGD's momentum. */
    public float momentum() {
        return momentum;
    }

    /** The optimiser's weight decay. */
    public float weightDecay() {
        return weightDecay;
    }

    /** The global gradient norm clipped to; 0 for none. */
    public float clipGradNorm() {
        return clipGradNorm;
    }

    /** Constant, or cosine decay to 0 over the run after the warm-up. */
    public LrSchedule lrSchedule() {
        return lrSchedule;
    }

    /** Steps of linear learning-rate warm-up from 0. */
    public int warmupSteps() {
        return warmupSteps;
    }

    /** Image side in pixels, or sequence length for a sequence model. */
    public int inputSize() {
        return inputSize;
    }

    /** Samples per epoch of generated data ({@code shapes}, {@code synthetic}). */
    public int trainSize() {
        return trainSize;
    }

    /** Validation samples of generated data. */
    public int validationSize() {
        return validationSize;
    }

    /** Data loading threads. */
    public int workers() {
        return workers;
    }

    /** The seed of the weights and the data. */
    public long seed() {
        return seed;
    }

    /** Steps between checkpoints (0: at the end of every epoch only). */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    /** How many checkpoints to keep, newest first. */
    public int keepCheckpoints() {
        return keepCheckpoints;
    }

    /** Epochs without improvement of the validation loss before stopping (0: off). */
    public int earlyStopPatience() {
        return earlyStopPatience;
    }

    /** The least decrease of the validation loss that counts as improvement. */
    public double earlyStopMinDelta() {
        return earlyStopMinDelta;
    }

    /** Steps between log lines, CSV rows and TensorBoard points. */
    public int logEvery() {
        return logEvery;
    }

    /** The run's folder. */
    public Path out() {
        return out;
    }

    /** Whether the batch size is to be found ({@code --batch-size auto}). */
    public boolean autoBatchSize() {
        return batchSize == 0;
    }

    /** These settings with the batch size a search chose. */
    public TrainSettings withBatchSize(int size) {
        return toBuilder().optBatchSize(size).build();
    }

    /** These settings with a new bound on the run (what a resumed run may change). */
    public TrainSettings withLength(int newEpochs, long newMaxSteps, Path newOut) {
        return toBuilder().optEpochs(newEpochs).optMaxSteps(newMaxSteps).setOut(newOut).build();
    }

    private List<Object> values() {
        return List.of(model, data, epochs, maxSteps, batchSize, batchSizeMargin, maxBatchSize, accumulate, precision,
                optimizer, lr, momentum, weightDecay, clipGradNorm, lrSchedule, warmupSteps, inputSize, trainSize,
                validationSize, workers, seed, checkpointEvery, keepCheckpoints, earlyStopPatience, earlyStopMinDelta,
                logEvery, out);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrainSettings s && values().equals(s.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    @Override
    public String toString() {
        return "TrainSettings" + values();
    }

    /**
     * Builds {@link TrainSettings}: {@code setX} for the required model, data and run folder, {@code optX}
     * for the rest, each with the default that {@code dlstation train} documents. {@link #build()} checks
     * every value and refuses a bad one naming its flag, the value and the fix.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPOJOBuilder(withPrefix = "opt")
    public static final class Builder {
        private Architecture model;
        private DataSpec data;
        private Integer epochs;
        private Long maxSteps;
        private int batchSize = 64;
        private double batchSizeMargin = 0.05;
        private int maxBatchSize = 4096;
        private int accumulate = 1;
        private Precision precision = Precision.FP32;
        private OptimizerKind optimizer = OptimizerKind.SGD;
        private Float lr;
        private float momentum = 0.9f;
        private float weightDecay;
        private float clipGradNorm;
        private LrSchedule lrSchedule = LrSchedule.CONSTANT;
        private int warmupSteps;
        private Integer inputSize;
        private int trainSize = 8000;
        private int validationSize = 2000;
        private Integer workers;
        private long seed = 42;
        private int checkpointEvery;
        private int keepCheckpoints = 3;
        private int earlyStopPatience;
        private double earlyStopMinDelta;
        private int logEvery = 50;
        private Path out;

        private Builder() {}

        /** Required: small-cnn, resnet18, resnet50 or bert-base. */
        @JsonProperty("model")
        public Builder setModel(Architecture model) {
            this.model = model;
            return this;
        }

        /** Required: the training data; bert-base reads only {@code synthetic}. */
        @JsonProperty("data")
        public Builder setData(DataSpec data) {
            this.data = data;
            return this;
        }

        /** Required: the run's folder (checkpoints, metrics, logs, the exported model). */
        @JsonProperty("out")
        public Builder setOut(Path out) {
            this.out = out;
            return this;
        }

        /** Passes over the training data; default 10, or 0 (no epoch limit) once {@link #optMaxSteps} is given. */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Optimiser steps after which the run ends; default 0 (no limit). */
        public Builder optMaxSteps(long maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** Samples per forward pass, or 0 to find the largest that fits ({@code auto}); default 64. */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Under batch size 0 ({@code auto}), the fraction kept below the largest batch that fits; default 0.05. */
        public Builder optBatchSizeMargin(double batchSizeMargin) {
            this.batchSizeMargin = batchSizeMargin;
            return this;
        }

        /** Under batch size 0 ({@code auto}), the largest batch tried; default 4096. */
        public Builder optMaxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** Micro-batches per optimiser step; default 1. */
        public Builder optAccumulate(int accumulate) {
            this.accumulate = accumulate;
            return this;
        }

        /** fp32 or fp16-mixed; default fp32. */
        public Builder optPrecision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /** Default SGD. */
        public Builder optOptimizer(OptimizerKind optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** The learning rate; default the optimiser's ({@link OptimizerKind#defaultLearningRate()}). */
        public Builder optLr(float lr) {
            this.lr = lr;
            return this;
        }

        /** SGD's momentum; default 0.9. */
        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Default 0. */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** The global gradient norm clipped to; default 0 (no clipping). */
        public Builder optClipGradNorm(float clipGradNorm) {
            this.clipGradNorm = clipGradNorm;
            return this;
        }

        /** Default constant. */
        public Builder optLrSchedule(LrSchedule lrSchedule) {
            this.lrSchedule = lrSchedule;
            return this;
        }

        /** Steps of linear learning-rate warm-up from 0; default 0. */
        public Builder optWarmupSteps(int warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        /** Image side or sequence length; default the model's ({@link Architecture#defaultInputSize()}). */
        public Builder optInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        /** Samples per epoch of generated data; default 8000. */
        public Builder optTrainSize(int trainSize) {
            this.trainSize = trainSize;
            return this;
        }

        /** Validation samples of generated data; default 2000. */
        public Builder optValidationSize(int validationSize) {
            this.validationSize = validationSize;
            return this;
        }

        /** Data loading threads; default the CPU cores, at most 16. */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Default 42. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Also checkpoint every N steps; default 0 (at each epoch's end and at the end only). */
        public Builder optCheckpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /** Checkpoints kept, newest first; default 3. */
        public Builder optKeepCheckpoints(int keepCheckpoints) {
            this.keepCheckpoints = keepCheckpoints;
            return this;
        }

        /** Epochs without validation-loss improvement before stopping; default 0 (off). */
        public Builder optEarlyStopPatience(int earlyStopPatience) {
            this.earlyStopPatience = earlyStopPatience;
            return this;
        }

        /** The least decrease of the validation loss that counts as improvement; default 0. */
        public Builder optEarlyStopMinDelta(double earlyStopMinDelta) {
            this.earlyStopMinDelta = earlyStopMinDelta;
            return this;
        }

        /** Steps between metrics rows and TensorBoard points; default 50. */
        public Builder optLogEvery(int logEvery) {
            this.logEvery = logEvery;
            return this;
        }

        /** The settings, once every value is checked; the first bad one is a bad-input error naming its flag. */
        public TrainSettings build() {
            if (model == null) {
                throw DlstationException.badInput("--model is required: small-cnn, resnet18, resnet50 or bert-base");
            }
            long steps = maxSteps == null ? 0 : maxSteps;
            int epochCount = epochs != null ? epochs : maxSteps != null ? 0 : 10;
            if (epochCount < 0 || steps < 0 || (epochCount == 0 && steps == 0)) {
                throw DlstationException.badInput("--epochs " + epochCount + " / --max-steps " + steps
                        + ": give a positive --epochs or --max-steps (or both: whichever ends first)");
            }
            checkBatch();
            if (precision == null || precision == Precision.FP16) {
                throw DlstationException.badInput("--precision " + precision + ": train with fp32 or fp16-mixed "
                        + "(pure fp16 is for inference: its updates underflow)");
            }
            float rate = checkOptimizer();
            int size = checkShape();
            int threads = workers != null ? workers : Math.min(16, Runtime.getRuntime().availableProcessors());
            if (threads < 1) {
                throw DlstationException.badInput("--workers " + threads + ": must be at least 1");
            }
            checkRecording();
            checkData();
            return new TrainSettings(this, epochCount, steps, rate, size, threads);
        }

        private void checkBatch() {
            if (batchSize < 0) {
                throw DlstationException.badInput("--batch-size " + batchSize
                        + ": must be a positive number or 'auto'");
            }
            if (!(batchSizeMargin >= 0 && batchSizeMargin < 0.9)) {
                throw DlstationException.badInput("--batch-size-margin " + batchSizeMargin + ": must be in [0, 0.9)");
            }
            if (maxBatchSize < 1) {
                throw DlstationException.badInput("--max-batch-size " + maxBatchSize + ": must be at least 1");
            }
            if (accumulate < 1) {
                throw DlstationException.badInput("--accumulate " + accumulate
                        + ": must be at least 1 (1 = one forward pass per optimiser step)");
            }
        }

        /** Checks the optimiser and its schedule; returns the learning rate. */
        private float checkOptimizer() {
            if (optimizer == null) {
                throw DlstationException.badInput("--optimizer " + optimizer + ": use sgd or adamw");
            }
            float rate = lr != null ? lr : optimizer.defaultLearningRate();
            if (!(rate > 0) || Float.isInfinite(rate)) {
                throw DlstationException.badInput("--lr " + rate + ": must be a positive number");
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw DlstationException.badInput("--momentum " + momentum + ": must be in [0, 1)");
            }
            if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
                throw DlstationException.badInput("--weight-decay " + weightDecay + ": must be >= 0");
            }
            if (!(clipGradNorm >= 0) || Float.isInfinite(clipGradNorm)) {
                throw DlstationException.badInput("--clip-grad-norm " + clipGradNorm
                        + ": must be a positive number (or 0 for none)");
            }
            if (lrSchedule == null) {
                throw DlstationException.badInput("--lr-schedule " + lrSchedule + ": use constant or cosine");
            }
            if (warmupSteps < 0) {
                throw DlstationException.badInput("--warmup-steps " + warmupSteps + ": must be >= 0");
            }
            return rate;
        }

        /** Checks the input size and the generated data's sizes; returns the input size. */
        private int checkShape() {
            int size = inputSize != null ? inputSize : model.defaultInputSize();
            if (size < 8) {
                throw DlstationException.badInput("--input-size " + size + ": must be at least 8");
            }
            if (model.takesSequences() && size > 512) {
                throw DlstationException.badInput("--input-size " + size + ": bert-base reads at most 512 tokens");
            }
            if (trainSize < 1 || validationSize < 0) {
                throw DlstationException.badInput("--train-size " + trainSize + " / --val-size " + validationSize
                        + ": must be at least 1 and 0");
            }
            return size;
        }

        /** Checks what the run writes: checkpoints, early stopping, log points, its folder. */
        private void checkRecording() {
            if (checkpointEvery < 0 || keepCheckpoints < 1) {
                throw DlstationException.badInput("--checkpoint-every " + checkpointEvery + " / --keep-checkpoints "
                        + keepCheckpoints + ": must be >= 0 and >= 1");
            }
            if (earlyStopPatience < 0 || !(earlyStopMinDelta >= 0)) {
                throw DlstationException.badInput("--early-stop-patience " + earlyStopPatience
                        + " / --early-stop-min-delta " + earlyStopMinDelta + ": must be >= 0");
            }
            if (logEvery < 1) {
                throw DlstationException.badInput("--log-every " + logEvery + ": must be at least 1");
            }
            if (out == null) {
                throw DlstationException.badInput("--out is required: the run's folder, e.g. runs/shapes-cnn");
            }
        }

        private void checkData() {
            if (data == null) {
                throw DlstationException.badInput("--data is required: shapes, imagefolder:DIR or synthetic");
            }
            if (model.takesSequences() && data.kind() != DataSpec.Kind.SYNTHETIC) {
                throw DlstationException.badInput("--data " + data + ": bert-base reads token sequences; "
                        + "use --data synthetic (image data is for small-cnn and the ResNets)");
            }
        }
    }
}
