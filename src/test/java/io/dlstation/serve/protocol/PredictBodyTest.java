package io.dlstation.serve.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The seed's /predict body: data arrays and images. */
class PredictBodyTest {
    private static final InputSpec IMAGE = new InputSpec("input", TensorType.FP32, new long[] {3, 4, 4},
            new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});

    @Test
    void dataBecomesOneSample() {
        InputSpec vector = new InputSpec("x", TensorType.FP32, new long[] {2, 2}, null, null);
        HostTensor t = PredictBody.decode("{\"data\": [[1, 2], [3, 4]]}".getBytes(StandardCharsets.UTF_8), null, vector);
        assertThat(t.shape()).containsExactly(1, 2, 2);
        assertThat(t.getDouble(3)).isEqualTo(4.0);
        assertThatThrownBy(() -> PredictBody.decode("{\"values\": []}".getBytes(StandardCharsets.UTF_8), null, vector))
                .hasMessageContaining("data is missing");
        assertThatThrownBy(() -> PredictBody.decode("[1]".getBytes(StandardCharsets.UTF_8), null, vector))
                .hasMessageContaining("{\"data\": [...]}");
    }

    @Test
    void anImageIsResizedScaledAndNormalised() throws Exception {
        BufferedImage white = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                white.setRGB(x, y, 0xffffff);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(white, "png", png);

        HostTensor t = PredictBody.decode(png.toByteArray(), null, IMAGE);

        assertThat(t.shape()).containsExactly(1, 3, 4, 4);
        assertThat(t.getDouble(0)).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-6)); // (1 - 0.5) / 0.25
        assertThatThrownBy(() -> PredictBody.decode(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0}, null, IMAGE))
                .hasMessageContaining("not an image this server can decode");
        InputSpec flat = new InputSpec("x", TensorType.FP32, new long[] {12}, null, null);
        assertThatThrownBy(() -> PredictBody.decode(png.toByteArray(), "image/png", flat))
                .hasMessageContaining("an image can only feed a (3, H, W) input");
    }
}
