package io.dlstation.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * How a parameter's first values are drawn, with PyTorch's conventions (fan-in is the product of all
 * dimensions but the first, fan-out of all but the second).
 */
@FunctionalInterface
public interface ParameterInit {

    /** Values of {@code shape} in float32 on {@code manager}'s device. */
    NDArray create(NDManager manager, Shape shape);

    /** All zeros. */
    static ParameterInit zeros() {
        return (m, s) -> m.zeros(s, DataType.FLOAT32);
    }

    /** All ones. */
    static ParameterInit ones() {
        return (m, s) -> m.ones(s, DataType.FLOAT32);
    }

    /** Normal with mean 0 (Hugging Face BERT uses std 0.02). */
    static ParameterInit normal(float std) {
        return (m, s) -> m.randomNormal(0, std, s, DataType.FLOAT32);
    }

    /** {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}: torchvision's conv init. */
    static ParameterInit kaimingNormalFanOut() {
        return (m, s) -> m.randomNormal(0, (float) Math.sqrt(2.0 / fanOut(s)), s, DataType.FLOAT32);
    }

    /**
     * PyTorch's default for {@code nn.Linear} and {@code nn.Conv2d} weights and biases: uniform in
     * +-1/sqrt(fan_in) (kaiming_uniform with a = sqrt(5)).
     *
     * @param fanIn the fan-in of the layer's weight
     */
    static ParameterInit uniformFanIn(long fanIn) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        return (m, s) -> m.randomUniform(-bound, bound, s, DataType.FLOAT32);
    }

    /** Fan-in of a weight of this shape. */
    static long fanIn(Shape shape) {
        return shape.dimension() < 2 ? shape.get(0) : shape.size() / shape.get(0);
    }

    /** Fan-out of a weight of this shape. */
    static long fanOut(Shape shape) {
        return shape.dimension() < 2 ? shape.get(0) : shape.size() / shape.get(1);
    }
}
