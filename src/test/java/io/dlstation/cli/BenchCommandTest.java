package io.dlstation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code dlstation bench} end to end on the CPU engine. */
class BenchCommandTest {
    @TempDir
    Path tmp;


    private CliRun run(String... args) {
        return CliRun.of(CliRun.withoutGpu(tmp), args);
    }

    @Test
    void aCpuTrainingSweepWritesAllFourFiles() throws IOException {
        Path out = tmp.resolve("b");
        CliRun r = run("bench", "train", "--model", "resnet50", "--device", "cpu", "--batch-sizes", "2,4", "--iterations", "2",
                "--warmup", "1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String f : new String[] {"results.json", "results.csv", "summary.md", "throughput.png"}) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.get("schema").asInt()).isEqualTo(1);
        assertThat(json.get("complete").asBoolean()).isTrue();
        assertThat(json.at("/machine/engine/name").asText()).isEqualTo("PyTorch");
        assertThat(json.get("command").toString()).contains("--batch-sizes", "2,4");
        JsonNode points = json.get("points");
        assertThat(points).hasSize(2);
        for (JsonNode p : points) {
            assertThat(p.get("model").asText()).isEqualTo("resnet50");
            assertThat(p.get("precision").asText()).isEqualTo("fp32");
            assertThat(p.get("step_ms").asDouble()).isPositive();
            assertThat(p.get("samples_per_s").asDouble()).isPositive();
            assertThat(p.get("peak_memory_bytes").asLong()).isPositive();
            assertThat(p.get("oom").asBoolean()).isFalse();
            assertThat(p.has("seq_length")).isTrue();
        }
        assertThat(r.out()).contains("| fp32 | 2 |", "| fp32 | 4 |");

        CliRun compare = run("bench", "compare", out.resolve("results.json").toString());
        assertThat(compare.exitCode()).as(compare.err()).isZero();
        assertThat(out.resolve("compare.md")).isNotEmptyFile();
        assertThat(out.resolve("compare.png")).isNotEmptyFile();
        assertThat(compare.out()).contains("(measured here)", "RTX 4090");
    }

    @Test
    void aBertInferenceSweepReportsLatencyPercentiles() throws IOException {
        Path out = tmp.resolve("i");
        CliRun r = run("bench", "infer", "--model", "bert-base", "--device", "cpu", "--batch-sizes", "1", "--seq-lengths",
                "16", "--iterations", "3", "--warmup", "1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode p = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("points").get(0);
        assertThat(p.get("seq_length").asInt()).isEqualTo(16);
        assertThat(p.get("p50_ms").asDouble()).isPositive();
        assertThat(p.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(p.get("p50_ms").asDouble());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--model vgg16 | not a known model; use one of resnet18, resnet34, resnet50, resnet101, bert-base",
        "--model resnet50 --batch-sizes 0 | batch size 0 < 1",
        "--model bert-base --seq-lengths 1024 | sequence length 1024 is outside 1..512",
        "--model resnet50 --precision bf16 | bfloat16 is not supported",
        "--model resnet50 --device gpu:0 | the engine sees 0 GPU(s)",
        "--model resnet50 --seq-lengths 128 | --seq-lengths applies to sequence models only",
        "--model resnet50 --on-oom maybe | --on-oom maybe: use stop or continue",
    })
    void badInputIsOneLineWithTheFixAndExitTwo(String args, String message) {
        String[] argv = ("bench train " + (args.contains("--device") ? "" : "--device cpu ") + args).split(" ");
        Path out = tmp.resolve("never");
        String[] withOut = java.util.Arrays.copyOf(argv, argv.length + 2);
        withOut[argv.length] = "--out";
        withOut[argv.length + 1] = out.toString();
        CliRun r = run(withOut);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(Files.exists(out)).isFalse();
    }
}
