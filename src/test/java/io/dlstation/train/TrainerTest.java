package io.dlstation.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dlstation.engine.MemoryProbe;
import io.dlstation.data.DataSpec;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.models.Architecture;
import io.dlstation.models.ModelFolder;
import io.dlstation.models.Safetensors;
import io.dlstation.tensorboard.EventFileReader;
import io.dlstation.tensorboard.ScalarEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs of the trainer on the CPU engine with the built-in shapes data. */
class TrainerTest {
    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    /** A short run: 512 training images of 32x32, 16 batches of 32 per epoch. */
    private static TrainSettings small(Path out, int epochs, long maxSteps, int batch, int accumulate, int checkpointEvery) {
        return TrainSettings.builder().setModel(Architecture.SMALL_CNN).setData(DataSpec.parse("shapes")).setOut(out)
                .optEpochs(epochs).optMaxSteps(maxSteps).optBatchSize(batch).optBatchSizeMargin(0).optMaxBatchSize(64)
                .optAccumulate(accumulate).optPrecision(Precision.FP32).optOptimizer(OptimizerKind.SGD).optLr(0.05f)
                .optMomentum(0.9f).optLrSchedule(LrSchedule.CONSTANT).optInputSize(32).optTrainSize(512)
                .optValidationSize(128).optWorkers(2).optSeed(7).optCheckpointEvery(checkpointEvery)
                .optKeepCheckpoints(5).optLogEvery(4).build();
    }

    private TrainSummary train(TrainSettings settings, boolean resume) {
        return train(settings, resume, Trainer.Placement.of(Device.cpu()));
    }

    private TrainSummary train(TrainSettings settings, boolean resume, Trainer.Placement placement) {
        MemoryProbe memory = new MemoryProbe() {
            @Override
            public long usedBytes() {
                return Runtime.getRuntime().totalMemory();
            }

            @Override
            public String source() {
                return "test";
            }
        };
        TrainProgress progress = new TrainProgress() {
            @Override
            public void info(String line) {
                lines.add(line);
            }

            @Override
            public void warn(String line) {
                lines.add("warning: " + line);
            }

            @Override
            public void epochStarted(int epoch, int epochs, long steps, long done) {}

            @Override
            public void stepped(long stepInEpoch, String status) {}

            @Override
            public void epochEnded() {}
        };
        return new Trainer(settings, resume, placement,
                (s, manager, type) -> TrainingDataSources.open(s, manager, type, progress::warn), memory, progress,
                Clock.systemUTC()).run();
    }

    @Test
    void smallCnnLearnsTheShapes() throws IOException {
        Path out = dir.resolve("run");
        // 5 epochs of 8000 images: about a minute on a 2-core machine
        TrainSettings settings = TrainSettings.builder().setModel(Architecture.SMALL_CNN)
                .setData(DataSpec.parse("shapes")).setOut(out).optEpochs(5).optMaxSteps(0).optBatchSize(64)
                .optBatchSizeMargin(0).optMaxBatchSize(64).optPrecision(Precision.FP32).optOptimizer(OptimizerKind.SGD)
                .optLr(0.05f).optLrSchedule(LrSchedule.COSINE).optInputSize(32).optTrainSize(8000)
                .optValidationSize(1000).optWorkers(2).optSeed(42).optKeepCheckpoints(2).optLogEvery(50).build();

        TrainSummary summary = train(settings, false);

        assertThat(summary.validationAccuracy()).as("validation accuracy").isGreaterThanOrEqualTo(0.90);
        assertThat(summary.stopReason()).isEqualTo("epochs");
        assertThat(summary.steps()).isEqualTo(5 * (8000 / 64));
        // the logs: a CSV with train and validation rows, a TensorBoard file with the same scalars
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertThat(csv.get(0)).startsWith("step,epoch,phase,loss,accuracy");
        assertThat(csv).filteredOn(l -> l.contains(",validation,")).hasSize(5);
        Path events;
        try (Stream<Path> files = Files.list(out.resolve("tensorboard"))) {
            events = files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                    .orElseThrow();
        }
        List<ScalarEvent> scalars = EventFileReader.read(events).scalars();
        assertThat(scalars).extracting(ScalarEvent::tag).contains("train/loss", "train/learning_rate",
                "train/samples_per_s", "validation/loss", "validation/accuracy");
        assertThat(scalars).filteredOn(e -> e.tag().equals("validation/accuracy")).last()
                .satisfies(e -> assertThat((double) e.value()).isCloseTo(summary.validationAccuracy(),
                        org.assertj.core.data.Offset.offset(1e-6)));
        // the exported model folder loads as it is and scores what the run scored
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ModelFolder.Loaded loaded = ModelFolder.load(out.resolve("model"), manager, Precision.FP32, false);
            assertThat(loaded.description().labels()).containsExactly("circle", "square", "triangle", "star", "cross");
            assertThat(loaded.description().inputs().get(0).shape()).containsExactly(3L, 32L, 32L);
            try (TrainingData data = TrainingDataSources.open(settings, manager, ai.djl.ndarray.types.DataType.FLOAT32,
                    lines::add)) {
                Validation.Result again = Validation.run(loaded.model(), data.validation(256), manager);
                assertThat(again.accuracy()).isEqualTo(summary.validationAccuracy());
            }
        }
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes() {
        Path whole = dir.resolve("whole");
        Path split = dir.resolve("split");
        // 16 batches per epoch, 2 per step: 8 steps per epoch, 16 in all
        train(small(whole, 2, 0, 32, 2, 3), false);
        TrainSummary first = train(small(split, 2, 5, 32, 2, 3), false);
        assertThat(first.steps()).isEqualTo(5);
        assertThat(first.stopReason()).isEqualTo("max_steps");
        TrainSummary resumed = train(small(split, 2, 0, 32, 2, 3), true);

        assertThat(resumed.steps()).isEqualTo(16);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("resuming from").contains("step 5"));
        assertSameWeights(whole, split);
    }

    @Test
    void theBatchSizeSearchLeavesNoTrace() {
        Path auto = dir.resolve("auto");
        Path fixed = dir.resolve("fixed");
        TrainSettings searched = small(auto, 1, 0, 0, 1, 0);
        TrainSummary summary = train(searched, false);
        train(small(fixed, 1, 0, 64, 1, 0), false);

        assertThat(summary.batchSize()).isEqualTo(64); // the search's limit: nothing runs out of memory on the CPU
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("largest batch that fits: 64"));
        assertSameWeights(auto, fixed);
    }

    @Test
    void resumingARunOfAnotherModelIsRefused() {
        Path out = dir.resolve("cnn");
        train(small(out, 1, 2, 32, 1, 0), false);
        TrainSettings other = TrainSettings.builder().setModel(Architecture.RESNET18).setData(DataSpec.parse("shapes"))
                .setOut(out).optEpochs(1).optMaxSteps(0).optBatchSize(32).optBatchSizeMargin(0).optMaxBatchSize(64)
                .optPrecision(Precision.FP32).optOptimizer(OptimizerKind.SGD).optLr(0.05f).optInputSize(32)
                .optTrainSize(512).optValidationSize(128).optWorkers(2).optSeed(7).optKeepCheckpoints(5).optLogEvery(4)
                .build();

        assertThatThrownBy(() -> train(other, true)).isInstanceOf(DlstationException.class)
                .hasMessageContaining("holds a small-cnn run, not resnet18");
        assertThatThrownBy(() -> train(small(out, 1, 2, 32, 1, 0), false)).isInstanceOf(DlstationException.class)
                .hasMessageContaining("already holds a run").hasMessageContaining("--resume");
    }

    @Test
    void trainsOnAnImageFolderAndNamesTheUnreadableImages() throws IOException {
        Path images = dir.resolve("images");
        java.util.Random random = new java.util.Random(3);
        for (String colour : new String[] {"blue", "red"}) {
            Path folder = Files.createDirectories(images.resolve(colour));
            for (int i = 0; i < 40; i++) {
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(24 + random.nextInt(16),
                        24 + random.nextInt(16), java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < image.getHeight(); y++) {
                    for (int x = 0; x < image.getWidth(); x++) {
                        int noise = random.nextInt(60);
                        image.setRGB(x, y, colour.equals("red") ? (195 + noise) << 16 | noise << 8 | noise
                                : noise << 16 | noise << 8 | (195 + noise));
                    }
                }
                javax.imageio.ImageIO.write(image, i % 2 == 0 ? "png" : "jpg", folder.resolve("img" + i + (i % 2 == 0
                        ? ".png" : ".jpg")).toFile());
            }
        }
        Files.writeString(images.resolve("red/broken.jpg"), "not an image");
        TrainSettings settings = TrainSettings.builder().setModel(Architecture.SMALL_CNN)
                .setData(DataSpec.parse("imagefolder:" + images)).setOut(dir.resolve("run")).optEpochs(3).optMaxSteps(0)
                .optBatchSize(8).optBatchSizeMargin(0).optMaxBatchSize(64).optPrecision(Precision.FP32)
                .optOptimizer(OptimizerKind.SGD).optLr(0.05f).optInputSize(16).optTrainSize(512).optValidationSize(128)
                .optWorkers(2).optSeed(7).optKeepCheckpoints(2).optLogEvery(4).build();

        TrainSummary summary = train(settings, false);

        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("warning: skipped 1 unreadable image")
                .contains("red/broken.jpg"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("2 classes"));
        assertThat(summary.validationAccuracy()).isEqualTo(1.0);
    }

    @Test
    void resumingWithoutACheckpointIsRefused() {
        assertThatThrownBy(() -> train(small(dir.resolve("empty"), 1, 2, 32, 1, 0), true))
                .isInstanceOf(DlstationException.class).hasMessageContaining("holds no checkpoint");
    }

    private static void assertSameWeights(Path a, Path b) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> left = Safetensors.read(a.resolve("model").resolve(ModelFolder.WEIGHTS_FILE), manager);
            Map<String, NDArray> right = Safetensors.read(b.resolve("model").resolve(ModelFolder.WEIGHTS_FILE), manager);
            assertThat(right.keySet()).isEqualTo(left.keySet());
            for (String name : left.keySet()) {
                float[] x = left.get(name).toFloatArray();
                float[] y = right.get(name).toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    assertThat(y[i]).as("%s[%d]", name, i).isCloseTo(x[i], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @Test
    void twoReplicasTrainCheckpointOnceAndResumeOnOneDevice() {
        Path out = dir.resolve("parallel");
        // two CPU replicas, each on its own thread, weights compared after every step
        Trainer.Placement two = new Trainer.Placement(List.of(Device.cpu(), Device.cpu()), 1);

        TrainSummary first = train(small(out, 1, 6, 32, 2, 3), false, two);

        assertThat(first.steps()).isEqualTo(6);
        assertThat(first.device()).isEqualTo("cpu(), cpu()");
        assertThat(lines).anyMatch(l -> l.contains("data parallel over 2 devices: 16 samples per device, global batch 32"));
        assertThat(out.resolve("checkpoints")).isDirectoryContaining(p -> p.getFileName().toString().equals("6"));
        // the same run continues on one device from the checkpoint the replicas wrote
        TrainSummary resumed = train(small(out, 1, 0, 32, 2, 3), true);
        assertThat(resumed.steps()).isEqualTo(8);
        assertThat(resumed.trainLoss()).isFinite();
    }

    @Test
    void aGlobalBatchThatDoesNotSplitOverTheDevicesIsRefused() {
        Trainer.Placement three = new Trainer.Placement(List.of(Device.cpu(), Device.cpu(), Device.cpu()), 0);
        assertThatThrownBy(() -> train(small(dir.resolve("odd"), 1, 2, 32, 1, 0), false, three))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("--batch-size 32 (the global batch) does not split evenly over 3 devices")
                .hasMessageContaining("e.g. 30");
        assertThat(dir.resolve("odd/checkpoints")).doesNotExist();
        assertThat(dir.resolve("odd/metrics.csv")).doesNotExist();
    }
}
