package io.dlstation.bench;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;

/** The CUDA runtime settings a benchmark touches, through DJL's PyTorch JNI. */
final class CudaRuntime {
    private CudaRuntime() {}

    /** Returns the caching allocator's unused blocks to the driver, so each point starts clean. */
    static void release(Device device) {
        if (device.isGpu()) {
            JniUtils.emptyCudaCache();
        }
    }

    /** Lets cuDNN time its convolution algorithms once per shape and keep the fastest. */
    static void benchmarkConvolutions(Device device) {
        if (device.isGpu()) {
            JniUtils.setBenchmarkCuDNN(true);
        }
    }
}
