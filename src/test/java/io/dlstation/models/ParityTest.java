package io.dlstation.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Java models against PyTorch on the CPU. The expected outputs were made once with PyTorch 2.11,
 * torchvision 0.26 and transformers 5.17 on the GPU host:
 * {@code python3 src/test/resources/parity/make_parity.py --small --out src/test/resources/parity}.
 * The models are torchvision's ResNet built by its own {@code _make_layer} at width 8 with one block
 * per stage (Bottleneck and BasicBlock), and a 2-layer Hugging Face BertModel (hidden 32, 4 heads)
 * with token types and a padded sequence.
 */
class ParityTest {
    private static final Path DIR = Path.of("src/test/resources/parity");
    private static final float TOLERANCE = 1e-4f;

    @Test
    void theTestDataIsThere() {
        assertThat(DIR.resolve("small-bert.weights.safetensors")).isRegularFile();
        assertThat(Files.isRegularFile(DIR.resolve("small-bottleneck-resnet.io.safetensors"))).isTrue();
    }

    @Test
    void bottleneckResNetMatchesTorchvision() {
        ResNet model = new ResNet(true, new int[] {1, 1, 1, 1}, 10, 8, false, false);
        assertThat(Parity.resnet(DIR, "small-bottleneck-resnet", model, Device.cpu())).isLessThan(TOLERANCE);
    }

    @Test
    void basicBlockResNetMatchesTorchvision() {
        ResNet model = new ResNet(false, new int[] {1, 1, 1, 1}, 10, 8, false, false);
        assertThat(Parity.resnet(DIR, "small-basic-resnet", model, Device.cpu())).isLessThan(TOLERANCE);
    }

    @Test
    void channelsLastGivesTheSameAnswer() {
        ResNet model = new ResNet(true, new int[] {1, 1, 1, 1}, 10, 8, false, true);
        assertThat(Parity.resnet(DIR, "small-bottleneck-resnet", model, Device.cpu())).isLessThan(TOLERANCE);
    }

    @Test
    void bertMatchesHuggingFaceWithPaddingAndTokenTypes() {
        Bert model = new Bert(new BertConfig(200, 32, 2, 4, 64, 64, 2, 1e-12f, 0.1f));
        float[] diff = Parity.bert(DIR, "small-bert", model, Device.cpu());
        assertThat(diff[0]).isLessThan(TOLERANCE);
        assertThat(diff[1]).isLessThan(TOLERANCE);
    }
}
