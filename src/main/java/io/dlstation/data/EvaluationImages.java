package io.dlstation.data;

import java.awt.image.BufferedImage;

/**
 * The evaluation transform of image-folder training, for other capabilities: a server feeding an
 * image to a model trained here prepares it exactly as validation did.
 */
public final class EvaluationImages {
    private EvaluationImages() {}

    /**
     * {@code image} with its shorter side resized to {@code 8/7 * size} and centre-cropped to
     * {@code size x size}, as HWC RGB bytes.
     */
    public static byte[] rgbHwc(BufferedImage image, int size) {
        byte[] out = new byte[size * size * 3];
        new ResizeCrop(size).apply(image, out, 0, null);
        return out;
    }
}
