package io.dlstation.serve.protocol;

import io.dlstation.data.EvaluationImages;
import io.dlstation.error.DlstationException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;

/**
 * An image sent to {@code /predict}, as one sample of a (3, H, W) input: its size checked from its header
 * before it is decoded ({@link ImageDecoder}), resized as image-folder validation does (shorter side to
 * 8/7 of the size, centre crop) for square inputs or stretched to H x W otherwise, scaled to [0, 1] and
 * normalised by the input's mean and std. A UINT8 input gets the raw pixel values.
 */
final class ImageInput {
    private ImageInput() {}

    /** Whether the body is an image, by its Content-Type or its first bytes. */
    static boolean isImage(byte[] body, String contentType) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("image/")) {
            return true;
        }
        return startsWith(body, 0xFF, 0xD8, 0xFF) || startsWith(body, 0x89, 'P', 'N', 'G')
                || startsWith(body, 'G', 'I', 'F', '8') || startsWith(body, 'B', 'M');
    }

    /** @param maxPixels the most pixels an image may have; larger ones are refused before decoding */
    static HostTensor decode(byte[] body, InputSpec input, long maxPixels) {
        long[] shape = input.shape();
        if (shape.length != 3 || shape[0] != 3) {
            throw DlstationException.badInput("model input '" + input.name() + "' has shape " + Arrays.toString(shape)
                    + "; an image can only feed a (3, H, W) input: send {\"data\": [...]} instead");
        }
        BufferedImage image = ImageDecoder.decode(body, maxPixels, input);
        int h = (int) shape[1];
        int w = (int) shape[2];
        byte[] hwc = h == w ? EvaluationImages.rgbHwc(image, h) : stretched(image, w, h);
        TensorWriter writer = new TensorWriter(input.type(), 3L * h * w, "image");
        for (int c = 0; c < 3; c++) {
            double mean = input.mean() == null ? 0 : input.mean()[c];
            double std = input.std() == null ? 1 : input.std()[c];
            for (int i = 0; i < h * w; i++) {
                int pixel = hwc[i * 3 + c] & 0xff;
                if (input.type().isFloating()) {
                    writer.writeDouble((pixel / 255.0 - mean) / std);
                } else {
                    writer.writeLong(pixel);
                }
            }
        }
        return new HostTensor(input.name(), input.type(), new long[] {1, 3, h, w}, writer.finish());
    }

    private static byte[] stretched(BufferedImage image, int w, int h) {
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return EvaluationImages.pixels(scaled);
    }

    private static boolean startsWith(byte[] body, int... magic) {
        if (body.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((body[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
