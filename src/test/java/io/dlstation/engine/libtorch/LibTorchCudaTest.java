package io.dlstation.engine.libtorch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CUDA bindings against the CPU libtorch: the switches bind, the allocator says why it is absent. */
class LibTorchCudaTest {
    private static LibTorchCuda cuda;

    @BeforeAll
    static void startEngine() {
        Engine.getEngine("PyTorch");
        cuda = LibTorchCuda.bind(Path.of(LibUtils.getLibtorchPath()));
    }

    @Test
    void tf32TurnsOnAndOffForMatmulsAndConvolutionsTogether() {
        boolean matmul = cuda.tf32Matmul();
        boolean convolution = cuda.tf32Convolution();
        try {
            cuda.setTf32(true);
            assertThat(cuda.tf32Matmul()).isTrue();
            assertThat(cuda.tf32Convolution()).isTrue();
            cuda.setTf32(false);
            assertThat(cuda.tf32Matmul()).isFalse();
            assertThat(cuda.tf32Convolution()).isFalse();
        } finally {
            cuda.setTf32(matmul);
        }
    }

    @Test
    void aCpuBuildHasNoAllocatorAndSaysWhy() {
        assertThat(cuda.allocator()).isEmpty();
        assertThat(cuda.allocatorAbsence()).contains(CudaCachingAllocator.C10_CUDA).contains("CPU build");
    }
}
