package io.dlstation.gpu;

/**
 * A process holding GPU memory. {@code usedBytes} is null where the driver cannot attribute memory
 * (e.g. inside some containers); {@code command} is null where /proc does not show the process.
 */
public record GpuProcess(long pid, Long usedBytes, String command) {}
