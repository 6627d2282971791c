package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dlstation.engine.libtorch.LibTorchCuda;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The caching allocator's counters, peak reset, memory fraction and TF32 on a real GPU. */
@Tag("gpu")
class GpuAllocatorTest {
    private static final long MIB = 1L << 20;
    private static final Device GPU = Device.gpu(0);

    @BeforeAll
    static void startEngine() {
        GpuTestEngine.start();
    }

    @Test
    void countersFollowATensorAndThePeakResets() {
        try (NDManager manager = NDManager.newBaseManager(GPU)) {
            manager.ones(new Shape(1)).getFloat();
            GpuMemory.resetPeaks(GPU);
            AllocatorCounters before = GpuMemory.counters(GPU).orElseThrow();
            NDArray big = manager.zeros(new Shape(256 * MIB / 4), DataType.FLOAT32);
            AllocatorCounters holding = GpuMemory.counters(GPU).orElseThrow();
            assertThat(holding.allocatedBytes() - before.allocatedBytes()).isEqualTo(256 * MIB);
            assertThat(holding.reservedBytes()).isGreaterThanOrEqualTo(holding.allocatedBytes());
            big.close();
            AllocatorCounters after = GpuMemory.counters(GPU).orElseThrow();
            assertThat(after.allocatedBytes()).isEqualTo(before.allocatedBytes());
            assertThat(after.peakAllocatedBytes()).isGreaterThanOrEqualTo(before.allocatedBytes() + 256 * MIB);
            GpuMemory.resetPeaks(GPU);
            assertThat(GpuMemory.counters(GPU).orElseThrow().peakAllocatedBytes()).isEqualTo(after.allocatedBytes());
        }
    }

    @Test
    void aSmallFractionMakesALargeAllocationACleanOutOfMemory() {
        try (NDManager manager = NDManager.newBaseManager(GPU)) {
            try {
                GpuMemory.limit(GPU, 0.01);
                // 1 % of any GPU dlstation runs on is far below 8 GiB
                assertThatThrownBy(() -> OomRecognizer.guard("gpu(0)", "an 8 GiB tensor",
                        () -> manager.zeros(new Shape(2L << 30), DataType.FLOAT32)))
                        .isInstanceOf(OutOfDeviceMemoryException.class);
                NDArray small = manager.ones(new Shape(1024));
                assertThat(small.sum().getFloat()).isEqualTo(1024f);
            } finally {
                GpuMemory.limit(GPU, 1.0);
            }
            NDArray big = manager.zeros(new Shape(2L << 30), DataType.FLOAT32);
            assertThat(big.getShape().size()).isEqualTo(2L << 30);
        }
    }

    @Test
    void tf32SwitchesReadBack() {
        LibTorchCuda cuda = EngineBootstrap.cuda();
        boolean before = cuda.tf32Matmul();
        try {
            cuda.setTf32(false);
            assertThat(cuda.tf32Matmul()).isFalse();
            assertThat(cuda.tf32Convolution()).isFalse();
            cuda.setTf32(true);
            assertThat(cuda.tf32Matmul()).isTrue();
            assertThat(cuda.tf32Convolution()).isTrue();
        } finally {
            cuda.setTf32(before);
        }
    }
}
