package io.dlstation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code dlstation train} end to end on the CPU engine, and its answers to bad input. */
class TrainCommandTest {
    @TempDir
    Path tmp;


    private CliRun run(String... args) {
        return CliRun.of(CliRun.withoutGpu(tmp), args);
    }

    @Test
    void aShortRunWritesItsWholeFolder() {
        Path out = tmp.resolve("run");
        CliRun r = run("train", "--model", "small-cnn", "--data", "shapes", "--max-steps", "6", "--batch-size", "16",
                "--accumulate", "2", "--train-size", "256", "--val-size", "64", "--precision", "fp16-mixed",
                "--clip-grad-norm", "5", "--log-every", "2", "--device", "cpu", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Trained small-cnn (fp16-mixed, cpu()) for 6 steps", "stopped by max steps",
                "loss scale", "model for 'dlstation serve'");
        assertThat(r.err()).contains("shapes: 5 classes, 256 training and 64 validation images of 32x32");
        for (String f : new String[] {"metrics.csv", "summary.json", "model/model.yaml", "model/model.safetensors",
            "checkpoints/6/manifest.json", "checkpoints/6/model.safetensors", "checkpoints/6/optimizer.safetensors"}) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--accumulate|0|--accumulate 0: must be at least 1",
        "--batch-size|lots|--batch-size lots: give a number or 'auto'",
        "--batch-size|0|--batch-size 0: must be at least 1 (or 'auto')",
        "--model|vgg16|--model vgg16: not a model dlstation trains",
        "--data|mnist|--data 'mnist' is not a data source",
        "--precision|bf16|bfloat16",
        "--optimizer|lbfgs|--optimizer lbfgs: use sgd or adamw",
        "--lr|-1|--lr -1.0: must be a positive number",
    })
    void badInputIsRefusedWithExitTwo(String flag, String value, String message) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--device", "cpu",
                "--max-steps", "1", "--out", tmp.resolve("bad").toString(), flag, value));
        if (!flag.equals("--model")) {
            args.addAll(java.util.List.of("--model", "small-cnn"));
        }
        CliRun r = run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(tmp.resolve("bad/checkpoints")).doesNotExist();
    }

    @Test
    void anImageFolderWithoutClassesIsRefused() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("images"));
        CliRun r = run("train", "--model", "small-cnn", "--device", "cpu", "--max-steps", "1", "--data",
                "imagefolder:" + empty, "--out", tmp.resolve("run").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(empty.toString());
    }

    @Test
    void bertTrainsOnlyOnSequences() {
        CliRun r = run("train", "--model", "bert-base", "--data", "shapes", "--device", "cpu", "--max-steps", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("bert-base reads token sequences; use --data synthetic");
    }

    @Test
    void resumeNeedsTheRunFolder() {
        CliRun r = run("train", "--model", "small-cnn", "--resume");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--resume needs --out");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gpu:3|--devices gpu:3: there is no gpu:3, the engine sees 0 GPU(s)",
        "gpu:0,,gpu:1|has an empty item",
        "npu:0|use auto, cpu, gpu or gpu:N",
    })
    void devicesThatDoNotExistAreRefusedWithExitTwo(String devices, String message) {
        CliRun r = run("train", "--model", "small-cnn", "--max-steps", "1", "--out", tmp.resolve("dev").toString(),
                "--devices", devices);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(tmp.resolve("dev/checkpoints")).doesNotExist();
    }

    @Test
    void deviceAndDevicesTogetherAreRefused() {
        CliRun r = run("train", "--model", "small-cnn", "--device", "cpu", "--devices", "all");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--device cpu and --devices all both name where to run; keep one");
    }

    @Test
    void checkReplicasMustNotBeNegative() {
        CliRun r = run("train", "--model", "small-cnn", "--check-replicas", "-1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--check-replicas -1 is negative");
    }
}
