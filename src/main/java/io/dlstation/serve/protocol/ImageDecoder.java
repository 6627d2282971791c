package io.dlstation.serve.protocol;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes the image of a request after reading its header. The header says how many pixels the image
 * has; one over the server's limit is refused (413) before any pixel is decoded, so a small file that
 * expands to gigabytes (a decompression bomb: an all-zero 25000x25000 PNG is 607 KB) costs neither the
 * memory nor the seconds its decoding would. An image the decoder cannot read (corrupt, truncated, of an
 * unsupported kind) is refused 400. The body is read from memory: nothing goes through ImageIO's disk
 * cache.
 */
final class ImageDecoder {
    /** Bytes a pixel takes when the decoder does not say: 8-bit RGBA. */
    private static final int UNKNOWN_PIXEL_BYTES = 4;
    /** Bytes a pixel takes once converted for the model: 8-bit RGB. */
    private static final int RGB_PIXEL_BYTES = 3;

    private ImageDecoder() {}

    /**
     * The decoded image of {@code body}.
     *
     * @param maxPixels the most pixels (width x height) an image may have
     * @param input the (3, H, W) input it is for, named in the errors
     */
    static BufferedImage decode(byte[] body, long maxPixels, InputSpec input) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(body))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw DlstationException.badInput("the body is not an image this server can decode (JPEG, PNG, BMP or "
                        + "GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width;
                int height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw unreadable(reader, e);
                }
                checkSize(reader, width, height, maxPixels, input);
                try {
                    return reader.read(0, reader.getDefaultReadParam());
                } catch (IOException | RuntimeException e) {
                    throw unreadable(reader, e);
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw DlstationException.badInput("the image cannot be read" + sentence(e.getMessage()));
        }
    }

    private static void checkSize(ImageReader reader, int width, int height, long maxPixels, InputSpec input) {
        long pixels = (long) width * height;
        if (width < 1 || height < 1) {
            throw DlstationException.badInput(String.format(Locale.ROOT, "the %s is %dx%d: it has no pixels; send a "
                    + "complete image", what(reader), width, height));
        }
        if (pixels > maxPixels) {
            long memory = pixels * (decodedPixelBytes(reader) + RGB_PIXEL_BYTES);
            throw new DlstationException(ErrorCode.PAYLOAD_TOO_LARGE, String.format(Locale.ROOT, "the %s is %dx%d "
                    + "(%d pixels; decoding it would take about %s of memory), over this server's limit of %d pixels "
                    + "per image: resize it (model input '%s' takes %dx%d) or raise the limit with dlstation serve "
                    + "--max-image-pixels (serve.max_image_pixels in dlstation.yaml)", what(reader), width, height,
                    pixels, size(memory), maxPixels, input.name(), input.shape()[2], input.shape()[1]));
        }
    }

    /** Bytes a pixel of the decoded image takes, as the decoder would lay it out. */
    private static long decodedPixelBytes(ImageReader reader) {
        try {
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            if (types.hasNext()) {
                ImageTypeSpecifier type = types.next();
                int bits = 0;
                for (int b = 0; b < type.getNumBands(); b++) {
                    bits += type.getBitsPerBand(b);
                }
                return Math.max(1, (bits + 7) / 8);
            }
        } catch (IOException | RuntimeException e) {
            // the size alone decides; the estimate falls back to 8-bit RGBA
        }
        return UNKNOWN_PIXEL_BYTES;
    }

    private static DlstationException unreadable(ImageReader reader, Exception e) {
        String why = e instanceof IOException ? sentence(e.getMessage()) : "";
        if (e instanceof IIOException && e.getCause() != null && !sentence(e.getCause().getMessage()).isEmpty()) {
            why += " (" + sentence(e.getCause().getMessage()).substring(2) + ")";
        }
        return DlstationException.badInput("the " + what(reader) + " cannot be decoded" + why + "; it is "
                + "corrupt, truncated or of a kind this server does not read: send a complete JPEG, PNG, BMP or GIF");
    }

    /** ": " and the decoder's message without its full stop, or "" when it has none. */
    private static String sentence(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String m = message.strip();
        return ": " + (m.endsWith(".") ? m.substring(0, m.length() - 1) : m);
    }

    /** "PNG image", or "image" when the reader does not say its format. */
    private static String what(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT) + " image";
        } catch (IOException e) {
            return "image";
        }
    }

    private static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return bytes >= 1L << 20 ? (bytes >> 20) + " MiB" : Math.max(1, bytes >> 10) + " KiB";
    }
}
