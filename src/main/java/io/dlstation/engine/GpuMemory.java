package io.dlstation.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dlstation.engine.libtorch.AllocatorStats;
import io.dlstation.engine.libtorch.LibTorchCuda;
import io.dlstation.error.DlstationException;
import java.util.Optional;

/**
 * The CUDA caching allocator of the running engine: its counters per device, a peak reset, and the
 * per-process memory fraction ({@code --memory-fraction}). Everything here is a no-op or empty on the
 * CPU and on a libtorch without CUDA.
 */
public final class GpuMemory {
    private GpuMemory() {}

    /** The allocator's counters for {@code device}, or empty on the CPU or where they cannot be read. */
    public static Optional<AllocatorCounters> counters(Device device) {
        return allocator(device).map(a -> {
            AllocatorStats s = a.stats(device.getDeviceId());
            return new AllocatorCounters(s.allocatedBytes(), s.peakAllocatedBytes(), s.reservedBytes(),
                    s.peakReservedBytes());
        });
    }

    /** Starts the peak counters of {@code device} over from their current values. */
    public static void resetPeaks(Device device) {
        allocator(device).ifPresent(a -> a.resetPeaks(device.getDeviceId()));
    }

    /**
     * Caps what the allocator may hold on {@code device} at {@code fraction} of its memory, like
     * {@code torch.cuda.set_per_process_memory_fraction}: an allocation beyond it fails with CUDA's
     * out-of-memory error, which dlstation reports as an out-of-memory result. Creates the device's
     * CUDA context if it has none yet.
     */
    public static void limit(Device device, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw DlstationException.badInput("--memory-fraction " + fraction + ": give a fraction of the GPU's "
                    + "memory above 0 and at most 1, e.g. 0.9");
        }
        if (!device.isGpu()) {
            return;
        }
        LibTorchCuda.Allocator allocator = EngineBootstrap.cuda().allocator().orElseThrow(() ->
                DlstationException.badInput("--memory-fraction needs the CUDA caching allocator, and "
                        + EngineBootstrap.cuda().allocatorAbsence() + "; leave --memory-fraction out"));
        // the allocator sets itself up with the first tensor on a GPU
        try (NDManager manager = NDManager.newBaseManager(device, EngineBootstrap.ENGINE_NAME)) {
            manager.zeros(new Shape(1));
        }
        allocator.setMemoryFraction(device.getDeviceId(), fraction);
    }

    private static Optional<LibTorchCuda.Allocator> allocator(Device device) {
        if (!device.isGpu() || EngineBootstrap.current() == null) {
            return Optional.empty();
        }
        return EngineBootstrap.cuda().allocator();
    }
}
