package io.dlstation.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A process that writes checkpoints back to back until it is killed: {@link CheckpointKillTest} kills
 * it with SIGKILL at random moments, most of which fall in the middle of a write.
 */
public final class CheckpointWriterProcess {
    private CheckpointWriterProcess() {}

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        CheckpointStore store = new CheckpointStore(root, 3, System.err::println);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (long step = 1; ; step++) {
                // 16 MiB of model and 16 MiB of optimiser state, each value the step number
                NDArray weights = manager.full(new Shape(4L << 20), step);
                NDArray momentum = manager.full(new Shape(4L << 20), -step);
                CheckpointManifest manifest = new CheckpointManifest(1, "small-cnn", step, 0, step, step,
                        new CheckpointManifest.OptimizerInfo("sgd", 0.1f, Map.of()), null, List.of("a", "b"),
                        CheckpointStoreTest.settings(root), new CheckpointManifest.Progress(1.0, 0), Map.of(),
                        "2026-01-01T00:00:00Z");
                store.write(manifest, Map.of("weight", weights), Map.of("weights.momentum", momentum));
                weights.close();
                momentum.close();
            }
        }
    }
}
