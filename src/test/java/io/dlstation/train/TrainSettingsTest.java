package io.dlstation.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dlstation.data.DataSpec;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.models.Architecture;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The builder's defaults and checks, and the settings' JSON as checkpoint manifests hold it. */
class TrainSettingsTest {
    /** As {@link CheckpointStore} reads and writes manifests. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Settings of a manifest as the release before the builder wrote them (a record with String fields). */
    private static final String SAVED = """
            {
              "model" : "resnet18",
              "data" : "imagefolder:/data/pets",
              "epochs" : 3,
              "max_steps" : 100,
              "batch_size" : 0,
              "batch_size_margin" : 0.05,
              "max_batch_size" : 4096,
              "accumulate" : 2,
              "precision" : "fp16-mixed",
              "optimizer" : "adamw",
              "lr" : 0.001,
              "momentum" : 0.9,
              "weight_decay" : 0.01,
              "clip_grad_norm" : 1.0,
              "lr_schedule" : "cosine",
              "warmup_steps" : 10,
              "input_size" : 64,
              "train_size" : 8000,
              "validation_size" : 2000,
              "workers" : 4,
              "seed" : 42,
              "checkpoint_every" : 5,
              "keep_checkpoints" : 3,
              "early_stop_patience" : 2,
              "early_stop_min_delta" : 0.001,
              "log_every" : 50,
              "out" : "file:///abs/run"
            }""";

    private static TrainSettings.Builder cnn() {
        return TrainSettings.builder().setModel(Architecture.SMALL_CNN).setData(DataSpec.parse("shapes"))
                .setOut(Path.of("runs/test"));
    }

    @Test
    void leftOutValuesTakeTheDefaultsTrainDocuments() {
        TrainSettings s = cnn().build();

        assertThat(s.epochs()).isEqualTo(10);
        assertThat(s.maxSteps()).isZero();
        assertThat(s.batchSize()).isEqualTo(64);
        assertThat(s.autoBatchSize()).isFalse();
        assertThat(s.batchSizeMargin()).isEqualTo(0.05);
        assertThat(s.maxBatchSize()).isEqualTo(4096);
        assertThat(s.accumulate()).isEqualTo(1);
        assertThat(s.precision()).isEqualTo(Precision.FP32);
        assertThat(s.optimizer()).isEqualTo(OptimizerKind.SGD);
        assertThat(s.lr()).isEqualTo(0.05f);
        assertThat(s.momentum()).isEqualTo(0.9f);
        assertThat(s.weightDecay()).isZero();
        assertThat(s.clipGradNorm()).isZero();
        assertThat(s.lrSchedule()).isEqualTo(LrSchedule.CONSTANT);
        assertThat(s.warmupSteps()).isZero();
        assertThat(s.inputSize()).isEqualTo(32);
        assertThat(s.trainSize()).isEqualTo(8000);
        assertThat(s.validationSize()).isEqualTo(2000);
        assertThat(s.workers()).isEqualTo(Math.min(16, Runtime.getRuntime().availableProcessors()));
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.checkpointEvery()).isZero();
        assertThat(s.keepCheckpoints()).isEqualTo(3);
        assertThat(s.earlyStopPatience()).isZero();
        assertThat(s.earlyStopMinDelta()).isZero();
        assertThat(s.logEvery()).isEqualTo(50);
    }

    @Test
    void defaultsThatDependOnOtherValues() {
        assertThat(cnn().optMaxSteps(200).build().epochs()).as("epochs once max steps are given").isZero();
        assertThat(cnn().optOptimizer(OptimizerKind.ADAMW).build().lr()).isEqualTo(1e-3f);
        assertThat(cnn().optOptimizer(OptimizerKind.ADAMW).optLr(0.01f).build().lr()).isEqualTo(0.01f);
        assertThat(cnn().setModel(Architecture.RESNET50).build().inputSize()).isEqualTo(224);
        assertThat(TrainSettings.builder().setModel(Architecture.BERT_BASE).setData(DataSpec.parse("synthetic"))
                .setOut(Path.of("runs/bert")).build().inputSize()).isEqualTo(128);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad(b -> b.setModel(null), "--model is required: small-cnn, resnet18, resnet50 or bert-base"),
                bad(b -> b.optEpochs(-1), "--epochs -1 / --max-steps 0: give a positive --epochs or --max-steps"),
                bad(b -> b.optEpochs(0), "--epochs 0 / --max-steps 0: give a positive --epochs or --max-steps"),
                bad(b -> b.optMaxSteps(0), "--epochs 0 / --max-steps 0: give a positive --epochs or --max-steps"),
                bad(b -> b.optMaxSteps(-5), "--epochs 0 / --max-steps -5: give a positive"),
                bad(b -> b.optBatchSize(-1), "--batch-size -1: must be a positive number or 'auto'"),
                bad(b -> b.optBatchSizeMargin(0.95), "--batch-size-margin 0.95: must be in [0, 0.9)"),
                bad(b -> b.optBatchSizeMargin(Double.NaN), "--batch-size-margin NaN: must be in [0, 0.9)"),
                bad(b -> b.optMaxBatchSize(0), "--max-batch-size 0: must be at least 1"),
                bad(b -> b.optAccumulate(0), "--accumulate 0: must be at least 1 (1 = one forward pass per optimiser step)"),
                bad(b -> b.optPrecision(Precision.FP16), "--precision fp16: train with fp32 or fp16-mixed"),
                bad(b -> b.optPrecision(null), "--precision null: train with fp32 or fp16-mixed"),
                bad(b -> b.optOptimizer(null), "--optimizer null: use sgd or adamw"),
                bad(b -> b.optLr(0), "--lr 0.0: must be a positive number"),
                bad(b -> b.optLr(Float.POSITIVE_INFINITY), "--lr Infinity: must be a positive number"),
                bad(b -> b.optMomentum(1), "--momentum 1.0: must be in [0, 1)"),
                bad(b -> b.optWeightDecay(-1), "--weight-decay -1.0: must be >= 0"),
                bad(b -> b.optClipGradNorm(-1), "--clip-grad-norm -1.0: must be a positive number (or 0 for none)"),
                bad(b -> b.optLrSchedule(null), "--lr-schedule null: use constant or cosine"),
                bad(b -> b.optWarmupSteps(-1), "--warmup-steps -1: must be >= 0"),
                bad(b -> b.optInputSize(4), "--input-size 4: must be at least 8"),
                bad(b -> b.setModel(Architecture.BERT_BASE).setData(DataSpec.parse("synthetic")).optInputSize(1024),
                        "--input-size 1024: bert-base reads at most 512 tokens"),
                bad(b -> b.optTrainSize(0), "--train-size 0 / --val-size 2000: must be at least 1 and 0"),
                bad(b -> b.optValidationSize(-1), "--train-size 8000 / --val-size -1: must be at least 1 and 0"),
                bad(b -> b.optWorkers(0), "--workers 0: must be at least 1"),
                bad(b -> b.optCheckpointEvery(-1), "--checkpoint-every -1 / --keep-checkpoints 3: must be >= 0 and >= 1"),
                bad(b -> b.optKeepCheckpoints(0), "--checkpoint-every 0 / --keep-checkpoints 0: must be >= 0 and >= 1"),
                bad(b -> b.optEarlyStopPatience(-1), "--early-stop-patience -1 / --early-stop-min-delta 0.0: must be >= 0"),
                bad(b -> b.optEarlyStopMinDelta(-1), "--early-stop-patience 0 / --early-stop-min-delta -1.0: must be >= 0"),
                bad(b -> b.optLogEvery(0), "--log-every 0: must be at least 1"),
                bad(b -> b.setOut(null), "--out is required: the run's folder, e.g. runs/shapes-cnn"),
                bad(b -> b.setData(null), "--data is required: shapes, imagefolder:DIR or synthetic"),
                bad(b -> b.setModel(Architecture.BERT_BASE), "--data shapes: bert-base reads token sequences; "
                        + "use --data synthetic (image data is for small-cnn and the ResNets)"));
    }

    private static Arguments bad(UnaryOperator<TrainSettings.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void buildRefusesABadValueNamingItsFlagAndTheFix(UnaryOperator<TrainSettings.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(cnn()).build()).isInstanceOf(DlstationException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.BAD_INPUT));
    }

    @Test
    void optimizerAndScheduleParseAsTheFlagsDidAndNameTheChoices() {
        assertThat(OptimizerKind.parse(" AdamW ")).isEqualTo(OptimizerKind.ADAMW);
        assertThat(LrSchedule.parse("COSINE")).isEqualTo(LrSchedule.COSINE);
        assertThatThrownBy(() -> OptimizerKind.parse("Adam")).isInstanceOf(DlstationException.class)
                .hasMessage("--optimizer adam: use sgd or adamw");
        assertThatThrownBy(() -> LrSchedule.parse("Linear")).isInstanceOf(DlstationException.class)
                .hasMessage("--lr-schedule linear: use constant or cosine");
    }

    @Test
    void changedCopiesKeepEverythingElse() {
        TrainSettings s = cnn().optBatchSize(0).optSeed(7).optLrSchedule(LrSchedule.COSINE).build();

        assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
        assertThat(s.withBatchSize(96)).isEqualTo(cnn().optBatchSize(96).optSeed(7).optLrSchedule(LrSchedule.COSINE)
                .build());
        TrainSettings longer = s.withLength(0, 500, Path.of("runs/other"));
        assertThat(longer.epochs()).isZero();
        assertThat(longer.maxSteps()).isEqualTo(500);
        assertThat(longer.out()).isEqualTo(Path.of("runs/other"));
        assertThat(longer.seed()).isEqualTo(7);
        assertThatThrownBy(() -> s.withLength(0, 0, Path.of("runs/other"))).isInstanceOf(DlstationException.class)
                .hasMessageStartingWith("--epochs 0 / --max-steps 0");
    }

    @Test
    void savedSettingsReadBackAndWriteAsBefore() throws Exception {
        TrainSettings read = JSON.readValue(SAVED, TrainSettings.class);

        assertThat(read).isEqualTo(TrainSettings.builder().setModel(Architecture.RESNET18)
                .setData(DataSpec.parse("imagefolder:/data/pets")).setOut(Path.of("/abs/run")).optEpochs(3)
                .optMaxSteps(100).optBatchSize(0).optAccumulate(2).optPrecision(Precision.FP16_MIXED)
                .optOptimizer(OptimizerKind.ADAMW).optWeightDecay(0.01f).optClipGradNorm(1f)
                .optLrSchedule(LrSchedule.COSINE).optWarmupSteps(10).optWorkers(4).optCheckpointEvery(5)
                .optEarlyStopPatience(2).optEarlyStopMinDelta(0.001).build());
        assertThat(JSON.writeValueAsString(read)).isEqualToNormalizingNewlines(SAVED);
    }

    @Test
    void savedSettingsAreCheckedAgainWhenRead() {
        String bad = SAVED.replace("\"accumulate\" : 2", "\"accumulate\" : 0");

        assertThatThrownBy(() -> JSON.readValue(bad, TrainSettings.class))
                .hasRootCauseInstanceOf(DlstationException.class)
                .rootCause().hasMessageStartingWith("--accumulate 0: must be at least 1");
    }
}
