package io.dlstation.data;

import java.awt.image.BufferedImage;

/**
 * The evaluation transform of image-folder training, for other capabilities: a server feeding an
 * image to a model trained here prepares it exactly as validation did.
 */
public final class EvaluationImages {
    private EvaluationImages() {}

    /**
     * {@code image} as HWC RGB bytes of {@code size x size}: taken as it is when it already has that
     * size (the built-in shapes are drawn at the model's size and validated untouched), else with its
     * shorter side resized to {@code 8/7 * size} and centre-cropped, as image-folder validation does.
     */
    public static byte[] rgbHwc(BufferedImage image, int size) {
        if (image.getWidth() == size && image.getHeight() == size) {
            return pixels(image);
        }
        byte[] out = new byte[RgbImages.rgbLength(size, size)];
        new ResizeCrop(size).apply(image, out, 0, null);
        return out;
    }

    /** Every pixel of {@code image} as HWC RGB bytes, at its own size. */
    public static byte[] pixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[RgbImages.rgbLength(w, h)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int p = (y * w + x) * 3;
                out[p] = (byte) (rgb >> 16);
                out[p + 1] = (byte) (rgb >> 8);
                out[p + 2] = (byte) rgb;
            }
        }
        return out;
    }
}
