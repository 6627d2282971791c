package io.dlstation.engine;

/**
 * Memory around a block of work. Values are bytes; -1 where the probe could not read.
 *
 * @param startBytes in use when the block began
 * @param endBytes in use when it ended
 * @param peakBytes the highest reading, sampled while it ran and at both ends
 * @param samples how many readings the peak is over
 * @param source the probe's source, e.g. "nvml-process"
 * @param peakAllocatedBytes the caching allocator's peak of memory held by tensors while the block ran
 *     ({@code torch.cuda.max_memory_allocated}); -1 without an allocator (the CPU)
 * @param peakReservedBytes the allocator's peak of memory taken from the driver; -1 without one
 */
public record MemoryProfile(long startBytes, long endBytes, long peakBytes, int samples, String source,
        long peakAllocatedBytes, long peakReservedBytes) {

    /** A profile without allocator counters. */
    public MemoryProfile(long startBytes, long endBytes, long peakBytes, int samples, String source) {
        this(startBytes, endBytes, peakBytes, samples, source, -1, -1);
    }

    /** End minus start: what the block left allocated (caching allocators keep what they reserved). */
    public long growthBytes() {
        return startBytes < 0 || endBytes < 0 ? 0 : endBytes - startBytes;
    }

    /** Peak minus start: the extra memory the block needed at its height. */
    public long peakGrowthBytes() {
        return startBytes < 0 || peakBytes < 0 ? 0 : peakBytes - startBytes;
    }
}
