package io.dlstation.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Loss functions over model outputs, computed in float32 whatever the activations' type.
 *
 * <p>DJL's {@code toType} runs without autograd, so a cast inside a loss would cut the graph; these
 * widen differentiably instead: log-softmax with an output type, or a product with a one-element
 * float32 tensor (PyTorch's type promotion makes the result float32 and keeps the gradient).
 */
public final class Losses {
    private Losses() {}

    /** Mean softmax cross-entropy of the first output (logits, (B, C)) against int64 class labels (B). */
    public static NDArray crossEntropy(NDList outputs, NDArray labels) {
        NDArray logits = outputs.head();
        NDArray logProbs = JniUtils.logSoftmax((PtNDArray) logits, -1, DataType.FLOAT32);
        return logProbs.get(new NDIndex().addAllDim().addPickDim(labels)).neg().mean();
    }

    /** The sum of the first output, as the seed's BERT benchmark uses ({@code last_hidden_state.sum()}). */
    public static NDArray sumOfOutput(NDList outputs, NDArray labels) {
        return toFloat32(outputs.head()).sum();
    }

    /** {@code x} widened to float32 with its gradient kept. */
    public static NDArray toFloat32(NDArray x) {
        if (x.getDataType() == DataType.FLOAT32) {
            return x;
        }
        return x.mul(x.getManager().ones(new Shape(1), DataType.FLOAT32, x.getDevice()));
    }
}
