package io.dlstation.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Memory layouts DJL has no call for. PyTorch's cuDNN convolutions pick NHWC kernels when their input
 * has channels-last strides, and the layout then carries through BatchNorm, ReLU, pooling and the
 * residual adds; on Hopper that is much faster in fp16.
 */
final class MemoryFormat {
    private MemoryFormat() {}

    /**
     * The same NCHW array with channels-last strides: permuted to NHWC, flattened (which copies in NHWC
     * order), reshaped and permuted back to a logical NCHW view.
     */
    public static NDArray channelsLast(NDArray nchw) {
        Shape s = nchw.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("channels-last needs NCHW input, got " + s);
        }
        return nchw.transpose(0, 2, 3, 1).reshape(-1).reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }
}
