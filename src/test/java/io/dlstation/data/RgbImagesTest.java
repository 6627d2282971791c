package io.dlstation.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

/** RGB conversion of images whose RGB bytes do not fit one Java array. */
class RgbImagesTest {
    /**
     * A 30000x30000 greyscale image that takes one byte: every pixel is the same sample (zero strides),
     * so the test holds what a decoder would have made of a 875 KB PNG without its 900 MB.
     */
    private static BufferedImage hugeGrey() {
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(1), 30_000, 30_000, 0, 0,
                new int[] {0}, null);
        ComponentColorModel grey = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(grey, raster, false, null);
    }

    @Test
    void anImageTooLargeForOneArrayFailsWithItsSizeInsteadOfOverflowing() {
        BufferedImage image = hugeGrey();
        assertThat(3 * image.getWidth() * image.getHeight()).as("what int arithmetic made of it").isNegative();

        for (Runnable convert : new Runnable[] {() -> RgbImages.bgr(image), () -> EvaluationImages.pixels(image),
            () -> EvaluationImages.rgbHwc(image, 224)}) {
            assertThatThrownBy(convert::run).isInstanceOfSatisfying(DlstationException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
                    .hasMessageContaining("image 30000x30000 is too large")
                    .hasMessageContaining("900000000 pixels take 2700000000 bytes")
                    .hasMessageContaining("resize it");
        }
    }

    @Test
    void lengthsThatFitAreExact() {
        assertThat(RgbImages.rgbLength(25_000, 25_000)).isEqualTo(1_875_000_000);
        assertThat(RgbImages.rgbLength(0, 7)).isZero();
        assertThatThrownBy(() -> RgbImages.rgbLength(26_755, 26_755)).hasMessageContaining("26755x26755");
    }
}
