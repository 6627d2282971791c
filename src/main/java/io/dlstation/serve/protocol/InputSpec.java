package io.dlstation.serve.protocol;

import java.util.Arrays;

/**
 * One input a model takes: its name, type and one sample's shape (no batch dimension), and for image
 * inputs the per-channel normalisation.
 *
 * <p>A floating input gets it on the host, when {@code /predict} turns an image into the tensor. A UINT8
 * input with a mean or a std takes pixel values (0 to 255) and gets it on the model's device: the
 * model receives {@code (pixel / 255 - mean) / std} in its compute type, and clients send one byte per
 * value instead of two or four.
 *
 * @param mean per-channel means subtracted after scaling pixels to [0, 1] (null: none)
 * @param std per-channel standard deviations divided by (null: none)
 */
public record InputSpec(String name, TensorType type, long[] shape, float[] mean, float[] std) {

    /** Whether this input takes pixel values that the server normalises on the device. */
    public boolean normalizesPixels() {
        return type == TensorType.UINT8 && (mean != null || std != null);
    }

    /**
     * The per-channel factor and offset that map a pixel value to {@code (pixel / 255 - mean) / std}:
     * {@code pixel * scale[c] + shift[c]}.
     */
    public float[][] pixelScaleAndShift() {
        int channels = (int) shape[0];
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = mean == null ? 0 : mean[c];
            double s = std == null ? 1 : std[c];
            scale[c] = (float) (1 / (255 * s));
            shift[c] = (float) (-m / s);
        }
        return new float[][] {scale, shift};
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape);
    }
}
