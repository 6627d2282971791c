package io.dlstation.gpu;

/** Telemetry for a machine where NVML cannot be used; every read says why. */
final class UnavailableTelemetry implements GpuTelemetry {
    private final String reason;

    UnavailableTelemetry(String reason) {
        this.reason = reason;
    }

    @Override
    public GpuInventory read() {
        return GpuInventory.unavailable(reason);
    }

    @Override
    public void close() {}
}
