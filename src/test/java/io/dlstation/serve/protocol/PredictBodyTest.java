package io.dlstation.serve.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.GreyPng;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The seed's /predict body: data arrays and images, and images refused by their size or their bytes. */
class PredictBodyTest {
    private static final InputSpec IMAGE = new InputSpec("input", TensorType.FP32, new long[] {3, 4, 4},
            new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
    private static final long LIMIT = 40_000_000;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dataBecomesOneSample() {
        InputSpec vector = new InputSpec("x", TensorType.FP32, new long[] {2, 2}, null, null);
        HostTensor t = PredictBody.decode(utf8("{\"data\": [[1, 2], [3, 4]]}"), null, vector, LIMIT);
        assertThat(t.shape()).containsExactly(1, 2, 2);
        assertThat(t.getDouble(3)).isEqualTo(4.0);
        assertThatThrownBy(() -> PredictBody.decode(utf8("{\"values\": []}"), null, vector, LIMIT))
                .hasMessageContaining("data is missing");
        assertThatThrownBy(() -> PredictBody.decode(utf8("[1]"), null, vector, LIMIT))
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

        HostTensor t = PredictBody.decode(png.toByteArray(), null, IMAGE, LIMIT);

        assertThat(t.shape()).containsExactly(1, 3, 4, 4);
        assertThat(t.getDouble(0)).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-6)); // (1 - 0.5) / 0.25
        assertThatThrownBy(() -> PredictBody.decode(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0}, null, IMAGE, LIMIT))
                .hasMessageContaining("not an image this server can decode");
        InputSpec flat = new InputSpec("x", TensorType.FP32, new long[] {12}, null, null);
        assertThatThrownBy(() -> PredictBody.decode(png.toByteArray(), "image/png", flat, LIMIT))
                .hasMessageContaining("an image can only feed a (3, H, W) input");
    }

    private static DlstationException refusal(byte[] body, long maxPixels) {
        Throwable t = catchThrowable(() -> PredictBody.decode(body, "image/png", IMAGE, maxPixels));
        assertThat(t).isInstanceOf(DlstationException.class);
        return (DlstationException) t;
    }

    @Test
    void anImageOfMorePixelsThanTheLimitIsRefused413NamingItsSizeTheLimitAndTheFix() {
        byte[] png = GreyPng.black(300, 200);
        assertThat(PredictBody.decode(png, null, IMAGE, 60_000).shape()).containsExactly(1, 3, 4, 4);

        DlstationException e = refusal(png, 59_999);

        assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(e.getMessage()).contains("PNG image is 300x200 (60000 pixels; decoding it would take about 234 KiB",
                "limit of 59999 pixels",
                "resize it (model input 'input' takes 4x4)", "--max-image-pixels", "serve.max_image_pixels");
    }

    @Test
    void theLimitIsCheckedFromTheHeaderBeforeAnyPixelIsDecoded() {
        // a header and no image data: decoding it would fail, so only the header can have refused it
        ByteArrayOutputStream headerOnly = new ByteArrayOutputStream();
        headerOnly.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        GreyPng.chunk(headerOnly, "IHDR", GreyPng.header(30_000, 30_000));
        GreyPng.chunk(headerOnly, "IEND", new byte[0]);

        DlstationException e = refusal(headerOnly.toByteArray(), LIMIT);

        assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(e.getMessage()).contains("30000x30000 (900000000 pixels; decoding it would take about",
                "limit of 40000000 pixels");
        assertThat(refusal(headerOnly.toByteArray(), 1L << 40).code()).as("decoding it fails")
                .isEqualTo(ErrorCode.BAD_INPUT);

        // BMP: a 54-byte header claiming a file of 20000x20000 24-bit pixels (1.2 GB)
        ByteBuffer bmp = ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(54 + 1_200_000_000).putInt(0).putInt(54)
                .putInt(40).putInt(20_000).putInt(20_000).putShort((short) 1).putShort((short) 24).putInt(0)
                .putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
        DlstationException fromBmp = refusal(bmp.array(), LIMIT);
        assertThat(fromBmp.code()).as(fromBmp.getMessage()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(fromBmp.getMessage()).contains("BMP image is 20000x20000");
    }

    @Test
    void truncatedOrCorruptImagesAreRefused400() {
        byte[] png = GreyPng.black(300, 200);
        byte[] truncated = Arrays.copyOf(png, png.length - 30); // the end of the image data and IEND cut off
        DlstationException e = refusal(truncated, LIMIT);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT);
        assertThat(e.getMessage()).contains("the PNG image cannot be decoded", "corrupt, truncated");

        ByteArrayOutputStream noPixels = new ByteArrayOutputStream();
        noPixels.writeBytes(Arrays.copyOf(png, 8));
        GreyPng.chunk(noPixels, "IHDR", GreyPng.header(0, 200));
        assertThat(refusal(noPixels.toByteArray(), LIMIT).code()).isEqualTo(ErrorCode.BAD_INPUT);

        assertThat(refusal(utf8("{\"data\": [1]}"), LIMIT).getMessage())
                .contains("not an image this server can decode");
    }
}
