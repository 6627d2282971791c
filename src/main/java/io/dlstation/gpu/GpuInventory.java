package io.dlstation.gpu;

import java.util.List;

/**
 * Every GPU NVML sees, with the driver's versions. When NVML is missing or fails, {@code devices} is
 * empty and {@code reason} says why; the inventory itself is never an error.
 *
 * @param driverVersion e.g. "580.159.04", null without a driver
 * @param cudaDriverVersion the highest CUDA version the driver supports, e.g. "13.0"
 * @param reason why no device is listed, null when NVML answered
 */
public record GpuInventory(String driverVersion, String cudaDriverVersion, List<GpuDevice> devices, String reason) {

    public GpuInventory {
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    /** An inventory with no devices, for the given reason. */
    public static GpuInventory unavailable(String reason) {
        return new GpuInventory(null, null, List.of(), reason);
    }

    /** Whether NVML answered (it may still list zero devices). */
    public boolean nvmlAvailable() {
        return reason == null;
    }

    /**
     * The driver's CUDA version as an integer like NVML's (major * 1000 + minor * 10), or -1 when
     * unknown.
     */
    public int cudaDriverVersionCode() {
        return CudaVersions.code(cudaDriverVersion);
    }
}
