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
        byte[] out = new byte[size * size * 3];
        if (image.getWidth() == size && image.getHeight() == size) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int rgb = image.getRGB(x, y);
                    int p = (y * size + x) * 3;
                    out[p] = (byte) (rgb >> 16);
                    out[p + 1] = (byte) (rgb >> 8);
                    out[p + 2] = (byte) rgb;
                }
            }
            return out;
        }
        new ResizeCrop(size).apply(image, out, 0, null);
        return out;
    }
}
