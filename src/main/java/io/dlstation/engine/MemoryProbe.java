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
}
