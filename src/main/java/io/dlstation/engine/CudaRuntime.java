package io.dlstation.engine;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;

/** The CUDA runtime settings a benchmark touches, through DJL's PyTorch JNI. */
public final class CudaRuntime {
    private CudaRuntime() {}

    /** Returns the caching allocator's unused blocks to the driver, so each point starts clean. */
    public static void release(Device device) {
        if (device.isGpu()) {
            JniUtils.emptyCudaCache();
        }
    }

    /** Lets cuDNN time its convolution algorithms once per shape and keep the fastest. */
    public static void benchmarkConvolutions(Device device) {
        if (device.isGpu()) {
            JniUtils.setBenchmarkCuDNN(true);
        }
    }
}
