package io.dlstation.engine;

/**
 * Reads how much memory a piece of work holds right now. Implementations never throw; they return -1
 * when the value cannot be read.
 */
public interface MemoryProbe {

    /** Bytes in use now, or -1 if unreadable. */
    long usedBytes();

    /** Where the number comes from, e.g. "nvml-process" or "process-rss". */
    String source();

    /** The caching allocator's counters where the probe watches a GPU, else empty. */
    default java.util.Optional<AllocatorCounters> allocatorCounters() {
        return java.util.Optional.empty();
    }

    /** Starts the allocator's peak counters over (a no-op without an allocator). */
    default void resetAllocatorPeaks() {}
}
