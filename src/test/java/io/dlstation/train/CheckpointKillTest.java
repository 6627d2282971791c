package io.dlstation.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer killed with SIGKILL at random moments (a real child JVM, {@code Process.destroyForcibly})
 * never leaves a published checkpoint that is incomplete or damaged, and the newest good one loads.
 */
class CheckpointKillTest {
    @TempDir
    Path dir;

    @Test
    void sigkillMidWriteLeavesEveryPublishedCheckpointWhole() throws Exception {
        Random random = new Random(17);
        List<String> warnings = new ArrayList<>();
        int killedMidWrite = 0;
        for (int round = 0; round < 4; round++) {
            Path root = dir.resolve("round" + round);
            Process writer = start(root);
            try {
                CheckpointStore store = new CheckpointStore(root, 3, warnings::add);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                // an external process: polling its output folder is the only way to see its progress
                while (store.folders().size() < 2 && writer.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(store.folders()).as("the writer made checkpoints").hasSizeGreaterThanOrEqualTo(2);
                Thread.sleep(random.nextInt(400));
            } finally {
                writer.destroyForcibly(); // SIGKILL on Linux
                writer.waitFor(30, TimeUnit.SECONDS);
            }
            if (hasIncompleteFolder(root)) {
                killedMidWrite++;
            }
            CheckpointStore store = new CheckpointStore(root, 3, warnings::add);
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                for (Path folder : store.folders()) {
                    CheckpointStore.Loaded loaded = store.load(folder, manager); // throws if damaged
                    long step = loaded.manifest().step();
                    assertThat(folder.getFileName().toString()).isEqualTo(Long.toString(step));
                    assertThat(loaded.model().get("weight").toFloatArray()).containsOnly((float) step);
                    assertThat(loaded.optimizer().get("weights.momentum").toFloatArray()).containsOnly((float) -step);
                }
                assertThat(store.loadNewest(manager)).isPresent();
            }
        }
        assertThat(warnings).isEmpty();
        System.out.printf("checkpoint kill test: %d of 4 kills landed in the middle of a write%n", killedMidWrite);
    }

    private static Process start(Path root) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), CheckpointWriterProcess.class.getName(), root.toString());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("DJL_OFFLINE", "true");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private static boolean hasIncompleteFolder(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith("."));
        }
    }
}
