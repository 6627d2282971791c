package io.dlstation.gpu;

/**
 * Reads GPU state. Opening never throws: without a driver, a GPU or NVML itself, the telemetry is
 * still usable and every {@link #read()} returns an empty inventory with the reason.
 *
 * <p>One instance owns one NVML session; close it when done. {@link #read()} is safe to call from
 * one thread at a time (the monitor's sampler).
 */
public interface GpuTelemetry extends AutoCloseable {

    /** The NVML library the product loads by default. */
    String DEFAULT_LIBRARY = "libnvidia-ml.so.1";

    /** A snapshot of every GPU; never throws. */
    GpuInventory read();

    /** Ends the NVML session; never throws. */
    @Override
    void close();

    /** Opens NVML from the system's {@value #DEFAULT_LIBRARY}. */
    static GpuTelemetry open() {
        return open(DEFAULT_LIBRARY);
    }

    /**
     * Opens NVML from the named library (a file name the loader finds, or an absolute path).
     * Returns an unavailable telemetry with the reason when it cannot be loaded or initialised.
     */
    static GpuTelemetry open(String library) {
        return NvmlTelemetry.open(library);
    }
}
