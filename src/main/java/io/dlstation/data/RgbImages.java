package io.dlstation.data;

import io.dlstation.error.DlstationException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decoded images as plain 8-bit BGR bytes. A JPEG or RGB PNG as ImageIO decodes it is used as it is;
 * anything else is converted: grey images have their value copied to all three channels, an alpha
 * channel is dropped keeping the colour underneath (as PIL's {@code convert("RGB")} does), 16-bit
 * samples keep their high byte, palettes are looked up.
 */
final class RgbImages {
    /** {@code width * height} pixels, row after row, three bytes each in the order B, G, R. */
    record Bgr(byte[] data, int width, int height) {}

    /** The longest array the JVM allocates (a few bytes under {@code Integer.MAX_VALUE}). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private RgbImages() {}

    /**
     * The length of the RGB bytes of a {@code width x height} image, in long arithmetic: an image whose
     * three bytes a pixel do not fit one Java array fails with its size and the fix instead of overflowing.
     */
    static int rgbLength(int width, int height) {
        long pixels = (long) width * height;
        long bytes = 3 * pixels;
        if (width < 0 || height < 0 || bytes > MAX_ARRAY) {
            throw DlstationException.badInput(String.format(Locale.ROOT, "image %dx%d is too large to convert: its "
                    + "%d pixels take %d bytes as RGB, more than one array holds (%d); resize it", width, height,
                    pixels, bytes, MAX_ARRAY));
        }
        return (int) bytes;
    }

    /** The pixels of {@code image} as BGR bytes, shared with the image when it already stores them so. */
    static Bgr bgr(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (isPlainBgr(image)) {
            return new Bgr(((DataBufferByte) image.getRaster().getDataBuffer()).getData(), w, h);
        }
        byte[] out = new byte[rgbLength(w, h)];
        ColorModel cm = image.getColorModel();
        int space = cm.getColorSpace().getType();
        int transfer = image.getRaster().getTransferType();
        boolean plainSamples = !cm.isAlphaPremultiplied() && !(cm instanceof IndexColorModel)
                && (transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT || transfer == DataBuffer.TYPE_INT)
                && (space == ColorSpace.TYPE_GRAY || space == ColorSpace.TYPE_RGB);
        if (plainSamples) {
            copySamples(image.getRaster(), space == ColorSpace.TYPE_GRAY, out);
        } else {
            // palettes, premultiplied alpha, other colour spaces: Java2D's own conversion, alpha dropped
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                    out[o] = (byte) row[x];
                    out[o + 1] = (byte) (row[x] >> 8);
                    out[o + 2] = (byte) (row[x] >> 16);
                }
            }
        }
        return new Bgr(out, w, h);
    }

    /** An sRGB TYPE_3BYTE_BGR image whose raster is its whole buffer, tightly packed. */
    private static boolean isPlainBgr(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR || !image.getColorModel().getColorSpace().isCS_sRGB()) {
            return false;
        }
        Raster r = image.getRaster();
        return r.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && sm.getPixelStride() == 3 && sm.getScanlineStride() == 3 * image.getWidth()
                && Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})
                && r.getDataBuffer().getOffset() == 0 && r.getParent() == null
                && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0;
    }

    private static void copySamples(Raster raster, boolean grey, byte[] out) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int[] bits = raster.getSampleModel().getSampleSize();
        int[] row = new int[w * bands];
        int g = grey ? 0 : 1;
        int b = grey ? 0 : 2;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0, i = 0, o = y * w * 3; x < w; x++, i += bands, o += 3) {
                out[o] = (byte) to8(row[i + b], bits[b]);
                out[o + 1] = (byte) to8(row[i + g], bits[g]);
                out[o + 2] = (byte) to8(row[i], bits[0]);
            }
        }
    }

    private static int to8(int sample, int bits) {
        if (bits == 8) {
            return sample & 0xFF;
        }
        if (bits > 8) {
            return (sample >>> (bits - 8)) & 0xFF;
        }
        return sample * 255 / ((1 << bits) - 1);
    }
}
