package io.dlstation.engine.libtorch;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The CUDA settings and counters of the loaded libtorch that DJL's JNI does not bind: TF32 for matmuls
 * and convolutions, cuDNN's algorithm benchmarking, the caching allocator's counters and its
 * per-process memory fraction.
 *
 * <p>The switches live in {@code libtorch_cpu.so} and bind on any build; the allocator needs a CUDA
 * build, and {@link #allocator()} says why it is absent otherwise. Thread-safe: the bindings are made
 * once and only read afterwards; the switches are process-wide in libtorch.
 */
public final class LibTorchCuda {
    private final LibTorchContext context;
    private final CudaCachingAllocator allocator;
    private final String allocatorAbsence;

    private LibTorchCuda(LibTorchContext context, CudaCachingAllocator allocator, String allocatorAbsence) {
        this.context = context;
        this.allocator = allocator;
        this.allocatorAbsence = allocatorAbsence;
    }

    /** Binds to the libtorch the engine loaded from {@code libtorchDir}. */
    public static LibTorchCuda bind(Path libtorchDir) {
        LibTorchContext context = LibTorchContext.bind(libtorchDir);
        try {
            return new LibTorchCuda(context, CudaCachingAllocator.bind(libtorchDir), null);
        } catch (LibTorchSymbolMissingException e) {
            return new LibTorchCuda(context, null, e.getMessage());
        }
    }

    /** Allows or forbids TF32 in CUDA matmuls and cuDNN convolutions together. */
    public void setTf32(boolean allowed) {
        context.setTf32MatmulAllowed(allowed);
        context.setTf32ConvolutionAllowed(allowed);
    }

    /** Whether CUDA matmuls may use TF32. */
    public boolean tf32Matmul() {
        return context.tf32MatmulAllowed();
    }

    /** Whether cuDNN convolutions may use TF32. */
    public boolean tf32Convolution() {
        return context.tf32ConvolutionAllowed();
    }

    /** Turns cuDNN's per-shape algorithm benchmarking on or off. */
    public void setCudnnBenchmark(boolean on) {
        context.setCudnnBenchmark(on);
    }

    /** Whether cuDNN benchmarks its algorithms per shape. */
    public boolean cudnnBenchmark() {
        return context.cudnnBenchmark();
    }

    /** The caching allocator, or empty on a libtorch without CUDA (see {@link #allocatorAbsence()}). */
    public Optional<Allocator> allocator() {
        return allocator == null ? Optional.empty() : Optional.of(new Allocator(allocator));
    }

    /** Why there is no allocator binding, or null when there is one. */
    public String allocatorAbsence() {
        return allocatorAbsence;
    }

    /** The CUDA caching allocator's counters and cap, per device index. */
    public static final class Allocator {
        private final CudaCachingAllocator binding;

        private Allocator(CudaCachingAllocator binding) {
            this.binding = binding;
        }

        /** The counters of {@code device}; the allocator must have served that device already. */
        public AllocatorStats stats(int device) {
            return binding.stats(device);
        }

        /** Starts the peak counters of {@code device} over from their current values. */
        public void resetPeaks(int device) {
            binding.resetPeaks(device);
        }

        /** Caps the memory the allocator may hold on {@code device} at {@code fraction} of the device's. */
        public void setMemoryFraction(int device, double fraction) {
            binding.setMemoryFraction(device, fraction);
        }
    }
}
