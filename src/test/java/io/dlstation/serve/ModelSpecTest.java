package io.dlstation.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.models.ModelFolder;
import io.dlstation.models.ServingOptions;
import io.dlstation.serve.protocol.InputSpec;
import io.dlstation.serve.protocol.TensorType;
import io.dlstation.serve.wlm.WorkloadListener;
import io.dlstation.time.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model.yaml for serving: the train export as it is, TorchScript folders, the serving section and its checks. */
class ModelSpecTest {
    @TempDir
    Path repo;

    @BeforeAll
    static void engine() {
        ServeFixtures.startCpuEngine();
    }

    private static ServedModel load(ModelSpec spec) {
        return new ModelLoader(List.of(Device.cpu()), Ticker.system(), (task, nanos) -> new CompletableFuture<Void>(),
                name -> WorkloadListener.NONE).load(spec);
    }

    @Test
    void aTrainExportKeepsItsFileAndServesWithDefaults() throws IOException {
        Path folder = ServeFixtures.trainExport(repo, "trained");
        String yaml = Files.readString(folder.resolve(ModelFolder.DESCRIPTION_FILE));
        assertThat(yaml).contains("format: dlstation", "architecture: small-cnn")
                .doesNotContain("serving", "torch_script", "file:", "outputs");

        ModelSpec spec = ModelSpec.read("trained", folder);

        assertThat(spec.serving()).isEqualTo(ServingOptions.defaults());
        assertThat(spec.serving().maxBatchSize()).isEqualTo(32);
        assertThat(spec.inputs().get(0).mean()).hasSize(3);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertThat(ModelFolder.load(folder, manager, Precision.FP32, false).description().labels()).hasSize(3);
        }
    }

    @Test
    void aTorchScriptFolderIsReadStrictly() throws IOException {
        Path folder = ServeFixtures.tinyCnn(repo, "tiny", "max_batch_size: 16\npreferred_batch_sizes: [8, 4, 8]\n");
        ModelSpec spec = ModelSpec.read("tiny", folder);
        assertThat(spec.description().isTorchScript()).isTrue();
        assertThat(spec.serving().preferredBatchSizes()).containsExactly(4, 8);
        assertThat(spec.serving().maxBatchDelayMs()).isEqualTo(5.0);
        assertThat(spec.outputName(0)).isEqualTo("probabilities");
        assertThat(spec.outputName(2)).isEqualTo("output_2");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> ModelFolder.load(folder, manager, Precision.FP32, false))
                    .hasMessageContaining("holds a TorchScript model");
        }

        assertRefused(folder, "serving:\n  max_batch_sizes: 4\n", "max_batch_sizes");
        assertRefused(folder, "serving:\n  max_batch_size: 0\n", "max_batch_size must be 1 to 65536: 0");
        assertRefused(folder, "serving:\n  max_batch_size: 4\n  preferred_batch_sizes: [8]\n", "preferred_batch_sizes");
        assertRefused(folder, "serving:\n  precision: fp16-mixed\n", "fp32 or fp16 for serving");
        assertRefused(folder, "serving:\n  precision: bf16\n", "bfloat16");
        assertRefused(folder, "serving:\n  warmup_batches: 0\n  warmup_every_size: true\n",
                "warmup_every_size needs warmup_batches of 1 or more");
        assertRefused(folder, "architecture: resnet18\n", "architecture is for format dlstation");
    }

    @Test
    void pixelInputsNeedAPositiveStd() {
        Path folder = ServeFixtures.torchScript(repo, "pixels", "tiny_cnn.pt", """
                inputs:
                  - {name: input, datatype: UINT8, shape: [3, 32, 32], mean: [0.5, 0.5, 0.5], std: [0.25, 0, 0.25]}
                """);
        assertThatThrownBy(() -> ModelSpec.read("pixels", folder)).hasMessageContaining("inputs[0].std has 0.0",
                "positive");
        InputSpec pixels = new InputSpec("input", TensorType.UINT8, new long[] {2, 4, 4}, new float[] {0.5f, 0.2f},
                new float[] {0.25f, 0.8f});
        assertThat(pixels.normalizesPixels()).isTrue();
        float[][] affine = pixels.pixelScaleAndShift();
        assertThat(255 * affine[0][0] + affine[1][0]).isCloseTo(2f, within(1e-6f)); // (1 - 0.5) / 0.25
        assertThat(51 * affine[0][1] + affine[1][1]).isCloseTo(0f, within(1e-6f)); // (0.2 - 0.2) / 0.8
        assertThat(new InputSpec("input", TensorType.UINT8, new long[] {3}, null, null).normalizesPixels()).isFalse();
        assertThat(new InputSpec("input", TensorType.FP16, new long[] {2, 4, 4}, new float[] {0.5f, 0.2f}, null)
                .normalizesPixels()).isFalse();
    }

    @Test
    void inputsAreCheckedAgainstWhatTheEngineCanHold() throws IOException {
        Path folder = ServeFixtures.torchScript(repo, "bad", "tiny_cnn.pt",
                "inputs:\n  - name: input\n    datatype: BF16\n    shape: [3, 32, 32]\n");
        assertThatThrownBy(() -> ModelSpec.read("bad", folder)).hasMessageContaining("BF16: bfloat16 is not supported");
        Path variable = ServeFixtures.torchScript(repo, "variable", "tiny_cnn.pt",
                "inputs:\n  - name: input\n    datatype: FP32\n    shape: [3, -1, 32]\n");
        assertThatThrownBy(() -> ModelSpec.read("variable", variable)).hasMessageContaining("every dimension must be 1");
    }

    @Test
    void loadingChecksLabelsOutputsAndTheWeightsPrecision() {
        Path labels = ServeFixtures.torchScript(repo, "labels", "tiny_cnn.pt", """
                inputs:
                  - {name: input, datatype: FP32, shape: [3, 32, 32]}
                postprocess: softmax
                labels: [a, b, c]
                serving: {warmup_batches: 0, max_batch_size: 2}
                """);
        assertThatThrownBy(() -> load(ModelSpec.read("labels", labels)))
                .isInstanceOf(DlstationException.class).hasMessageContaining("has 3 labels but its output 'output' has 5");
        Path half = ServeFixtures.torchScript(repo, "half", "tiny_cnn.pt", """
                inputs:
                  - {name: input, datatype: FP32, shape: [3, 32, 32]}
                serving: {precision: fp16}
                """);
        assertThatThrownBy(() -> load(ModelSpec.read("half", half)))
                .hasMessageContaining("weights are float32 but serving.precision is fp16", "model.half()");
        Path shape = ServeFixtures.torchScript(repo, "shape", "tiny_cnn.pt", """
                inputs:
                  - {name: input, datatype: FP32, shape: [3, 32, 32]}
                outputs:
                  - {name: logits, datatype: FP32, shape: [10]}
                serving: {warmup_batches: 0, max_batch_size: 2}
                """);
        assertThatThrownBy(() -> load(ModelSpec.read("shape", shape)))
                .hasMessageContaining("output 'logits' has shape [5] per sample but model.yaml says [10]");
    }

    private void assertRefused(Path folder, String extra, String message) throws IOException {
        Path file = folder.resolve(ModelFolder.DESCRIPTION_FILE);
        String original = Files.readString(file);
        String withoutServing = original.substring(0, original.indexOf("serving:"));
        Files.writeString(file, withoutServing + extra);
        try {
            assertThatThrownBy(() -> ModelSpec.read("tiny", folder)).isInstanceOf(DlstationException.class)
                    .hasMessageContaining(message);
        } finally {
            Files.writeString(file, original);
        }
    }
}
