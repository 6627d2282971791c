package io.dlstation.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dlstation.data.HostBatch;
import java.nio.ByteBuffer;

/**
 * Turns a batch of HWC uint8 RGB images from the loader into the model's input on the device: the
 * bytes travel as they are (a quarter of float32's size), then one fused pass on the device
 * normalises them ({@code (x / 255 - mean) / std} per channel) and casts to the compute type. The
 * result is logically NCHW with channels-last memory, which is what cuDNN's fastest kernels read.
 */
public final class ImageTensors {
    /** ImageNet's channel means, which torchvision's models and most image pipelines use. */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet's channel standard deviations. */
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final NDArray scale;
    private final NDArray shift;
    private final DataType computeType;
    private final Device device;

    /**
     * @param constants owns the per-channel constants for the whole run (on the training device)
     * @param computeType float32, or float16 under mixed precision
     */
    public ImageTensors(NDManager constants, DataType computeType) {
        float[] s = new float[3];
        float[] b = new float[3];
        for (int c = 0; c < 3; c++) {
            s[c] = 1f / (255f * STD[c]);
            b[c] = -MEAN[c] / STD[c];
        }
        this.scale = constants.create(s);
        this.shift = constants.create(b);
        this.computeType = computeType;
        this.device = constants.getDevice();
    }

    /** The images of {@code batch} as (B, 3, H, W) in the compute type, owned by {@code into}. */
    public NDArray images(HostBatch batch, NDManager into) {
        int n = batch.count();
        Shape shape = new Shape(n, batch.height(), batch.width(), 3);
        ByteBuffer bytes = ByteBuffer.wrap(batch.pixels(), 0, (int) shape.size());
        NDArray hwc = into.create(bytes, shape, DataType.UINT8);
        NDArray onDevice = hwc.toDevice(device, false);
        NDArray normalised = onDevice.toType(DataType.FLOAT32, false).mul(scale).add(shift);
        if (computeType != DataType.FLOAT32) {
            normalised = normalised.toType(computeType, false);
        }
        return normalised.transpose(0, 3, 1, 2);
    }

    /** The labels of {@code batch} as int64 (B) on the device, owned by {@code into}. */
    public NDArray labels(HostBatch batch, NDManager into) {
        long[] labels = batch.labels();
        if (labels.length != batch.count()) {
            long[] exact = new long[batch.count()];
            System.arraycopy(labels, 0, exact, 0, exact.length);
            labels = exact;
        }
        return into.create(labels).toDevice(device, false);
    }
}
