package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.EngineException;
import io.dlstation.error.ErrorCode;
import org.junit.jupiter.api.Test;

class OomRecognizerTest {
    /** The message PyTorch 2.x's CUDA caching allocator raises, as DJL's JNI passes it on. */
    static final String CUDA_OOM = "CUDA out of memory. Tried to allocate 20.00 GiB. GPU 0 has a total capacity of "
            + "79.19 GiB of which 3.81 GiB is free. Including non-PyTorch memory, this process has 75.37 GiB memory "
            + "in use. Of the allocated memory 74.50 GiB is allocated by PyTorch, and 290.33 MiB is reserved by "
            + "PyTorch but unallocated. If reserved but unallocated memory is large try setting "
            + "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory "
            + "Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)";
    static final String CPU_OOM = "[enforce fail at alloc_cpu.cpp:121] data. DefaultCPUAllocator: not enough memory: "
            + "you tried to allocate 281474976710656 bytes.";
    static final String CUBLAS_OOM = "CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`";

    @Test
    void recognisesCudaOutOfMemoryInsideEngineException() {
        EngineException error = new EngineException(CUDA_OOM);
        assertThat(OomRecognizer.isOutOfMemory(error)).isTrue();
        OutOfDeviceMemoryException oom = OomRecognizer.translate(error, "gpu(0)", "batch 512");
        assertThat(oom.code()).isEqualTo(ErrorCode.OUT_OF_MEMORY);
        assertThat(oom.device()).isEqualTo("gpu(0)");
        assertThat(oom.attempted()).isEqualTo("batch 512");
        assertThat(oom.getMessage()).contains("gpu(0)", "batch 512", "tried to allocate 20.00 GiB", "smaller batch");
        assertThat(oom.getCause()).isSameAs(error);
    }

    @Test
    void recognisesCauseChainsAndOtherAllocators() {
        assertThat(OomRecognizer.isOutOfMemory(new RuntimeException("step failed", new EngineException(CUDA_OOM))))
                .isTrue();
        assertThat(OomRecognizer.isOutOfMemory(new EngineException(CPU_OOM))).isTrue();
        assertThat(OomRecognizer.translate(new EngineException(CPU_OOM), "cpu()", "").getMessage())
                .contains("tried to allocate 281474976710656 bytes");
        assertThat(OomRecognizer.isOutOfMemory(new EngineException(CUBLAS_OOM))).isTrue();
    }

    @Test
    void leavesOtherFailuresAlone() {
        EngineException shapes = new EngineException("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        assertThat(OomRecognizer.isOutOfMemory(shapes)).isFalse();
        assertThat(OomRecognizer.translate(shapes, "gpu(0)", "x")).isNull();
        assertThat(OomRecognizer.isOutOfMemory(new OutOfMemoryError("Java heap space"))).isFalse();
        assertThat(OomRecognizer.isOutOfMemory(new RuntimeException((String) null))).isFalse();
    }

    @Test
    void guardRethrowsTranslatedOrOriginal() {
        assertThatThrownBy(() -> OomRecognizer.guard("gpu(1)", "batch 64", () -> {
            throw new EngineException(CUDA_OOM);
        })).isInstanceOf(OutOfDeviceMemoryException.class).hasMessageContaining("gpu(1)");
        IllegalStateException other = new IllegalStateException("unrelated");
        assertThatThrownBy(() -> OomRecognizer.guard("gpu(1)", "batch 64", () -> {
            throw other;
        })).isSameAs(other);
        assertThat(OomRecognizer.guard("cpu()", "x", () -> 7)).isEqualTo(7);
    }
}
