package io.dlstation.serve.protocol;

import java.util.Arrays;

/**
 * One input a model takes: its name, type and one sample's shape (no batch dimension), and for image
 * inputs the per-channel normalisation.
 *
 * @param mean per-channel means subtracted after scaling pixels to [0, 1] (null: none)
 * @param std per-channel standard deviations divided by (null: none)
 */
public record InputSpec(String name, TensorType type, long[] shape, float[] mean, float[] std) {

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape);
    }
}
