package io.dlstation.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dlstation.data.DataSpec;
import io.dlstation.engine.Precision;
import io.dlstation.models.Architecture;
import io.dlstation.train.step.LossScaler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private NDManager manager;
    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static TrainSettings settings(Path out) {
        return TrainSettings.builder().setModel(Architecture.SMALL_CNN).setData(DataSpec.parse("shapes")).setOut(out)
                .optEpochs(1).optMaxSteps(0).optBatchSize(8).optBatchSizeMargin(0).optMaxBatchSize(64)
                .optPrecision(Precision.FP32).optOptimizer(OptimizerKind.SGD).optLr(0.1f).optMomentum(0.9f)
                .optLrSchedule(LrSchedule.CONSTANT).optInputSize(32).optTrainSize(64).optValidationSize(16).optWorkers(1)
                .optSeed(7).optKeepCheckpoints(2).optLogEvery(1).build();
    }

    private CheckpointManifest manifest(long step) {
        return new CheckpointManifest(1, "small-cnn", step, 1, 3, 100, new CheckpointManifest.OptimizerInfo("sgd", 0.1f,
                Map.of()), new LossScaler.State(1024f, 5), List.of("a", "b"), settings(dir), new CheckpointManifest.Progress(
                        Double.POSITIVE_INFINITY, 0), Map.of(), "2026-01-01T00:00:00Z");
    }

    private Map<String, NDArray> tensors(float value) {
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("layer.weight", manager.full(new Shape(3, 4), value));
        t.put("layer.bias", manager.full(new Shape(3), -value));
        return t;
    }

    @Test
    void writesAndReadsBackEveryPart() {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 3, warnings::add);
        Path folder = store.write(manifest(10), tensors(1.5f), Map.of("weights.momentum", manager.ones(new Shape(5))));

        assertThat(folder).isEqualTo(dir.resolve("checkpoints/10"));
        CheckpointStore.Loaded loaded = store.loadNewest(manager).orElseThrow();
        assertThat(loaded.manifest().step()).isEqualTo(10);
        assertThat(loaded.manifest().batchInEpoch()).isEqualTo(3);
        assertThat(loaded.manifest().lossScale()).isEqualTo(new LossScaler.State(1024f, 5));
        assertThat(loaded.manifest().settings()).isEqualTo(settings(dir));
        assertThat(loaded.manifest().progress().bestValidationLoss()).isInfinite();
        assertThat(loaded.model().get("layer.weight").toFloatArray()).containsOnly(1.5f);
        assertThat(loaded.model().get("layer.bias").getShape()).isEqualTo(new Shape(3));
        assertThat(loaded.optimizer().get("weights.momentum").toFloatArray()).containsOnly(1f);
        assertThat(loaded.manifest().files()).containsKeys(CheckpointStore.MODEL_FILE, CheckpointStore.OPTIMIZER_FILE);
        assertThat(warnings).isEmpty();
    }

    @Test
    void keepsOnlyTheNewest() {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 2, warnings::add);
        for (long step : new long[] {5, 10, 15, 20}) {
            store.write(manifest(step), tensors(step), Map.of());
        }
        assertThat(store.folders()).extracting(p -> p.getFileName().toString()).containsExactly("20", "15");
    }

    @Test
    void aCorruptedNewestIsSkippedForTheOneBefore() throws IOException {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 3, warnings::add);
        store.write(manifest(5), tensors(5), Map.of());
        Path newest = store.write(manifest(10), tensors(10), Map.of());
        byte[] bytes = Files.readAllBytes(newest.resolve(CheckpointStore.MODEL_FILE));
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(newest.resolve(CheckpointStore.MODEL_FILE), bytes);

        CheckpointStore.Loaded loaded = store.loadNewest(manager).orElseThrow();

        assertThat(loaded.manifest().step()).isEqualTo(5);
        assertThat(warnings).singleElement().asString().contains("checkpoints/10").contains("SHA-256");
    }

    @Test
    void aFolderWithoutItsManifestIsNotACheckpoint() throws IOException {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 3, warnings::add);
        store.write(manifest(5), tensors(5), Map.of());
        Path half = Files.createDirectories(dir.resolve("checkpoints/9"));
        Files.write(half.resolve(CheckpointStore.MODEL_FILE), new byte[] {1, 2, 3});

        assertThat(store.loadNewest(manager).orElseThrow().manifest().step()).isEqualTo(5);
        assertThat(warnings).singleElement().asString().contains("no manifest.json");
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousCheckpointAndNoNewFolder() {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 1, warnings::add);
        store.write(manifest(5), tensors(5), Map.of());
        NDArray closed = manager.ones(new Shape(2));
        closed.close(); // reading it fails in the middle of writing the optimiser file

        assertThatThrownBy(() -> store.write(manifest(10), tensors(10), Map.of("weights.momentum", closed)))
                .isInstanceOf(RuntimeException.class);

        assertThat(store.folders()).extracting(p -> p.getFileName().toString()).containsExactly("5");
        assertThat(store.loadNewest(manager).orElseThrow().manifest().step()).isEqualTo(5);
        // the temporary folder is hidden and swept up by the next successful write
        store.write(manifest(15), tensors(15), Map.of());
        try (var entries = Files.list(dir.resolve("checkpoints"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("15");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noCheckpointsMeansEmpty() {
        CheckpointStore store = new CheckpointStore(dir.resolve("none"), 1, warnings::add);
        assertThat(store.folders()).isEmpty();
        assertThat(store.loadNewest(manager)).isEmpty();
    }
}
