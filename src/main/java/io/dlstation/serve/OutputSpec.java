package io.dlstation.serve;

import io.dlstation.serve.protocol.TensorType;
import java.util.Arrays;

/** One output of a loaded model, as its warm-up showed it: name, type and one sample's shape. */
public record OutputSpec(String name, TensorType type, long[] shape) {

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape);
    }
}
