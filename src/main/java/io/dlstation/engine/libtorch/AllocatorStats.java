package io.dlstation.engine.libtorch;

/**
 * The CUDA caching allocator's counters for one device, in bytes: what tensors hold ({@code
 * allocated}) and what the allocator has taken from the driver to serve them ({@code reserved}), now
 * and at their peaks since the last reset. NVML's figure for the process adds the CUDA context and
 * libraries' workspaces to {@code reserved}.
 *
 * @param allocRetries times an allocation failed, freed the cache and tried again
 * @param ooms allocations that failed for good (out of memory)
 */
public record AllocatorStats(long allocatedBytes, long peakAllocatedBytes, long reservedBytes,
        long peakReservedBytes, long allocRetries, long ooms) {}
