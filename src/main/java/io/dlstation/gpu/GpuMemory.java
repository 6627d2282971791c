package io.dlstation.gpu;

/**
 * A GPU's framebuffer memory in bytes. {@code reservedBytes} is null where the driver only offers
 * NVML's v1 memory query.
 */
public record GpuMemory(long totalBytes, long usedBytes, long freeBytes, Long reservedBytes) {
    /** Used memory as a percentage of total, 0 when total is unknown. */
    public double usedPercent() {
        return totalBytes <= 0 ? 0 : 100.0 * usedBytes / totalBytes;
    }
}
