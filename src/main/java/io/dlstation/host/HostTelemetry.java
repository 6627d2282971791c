package io.dlstation.host;

/**
 * Reads the host's changing state: CPU load, frequency and temperature, memory, swap, load average.
 * CPU load is measured between two readings, so the first reading after {@link #open()} covers the
 * time since opening (null when that is too short to measure).
 *
 * <p>{@link #read()} never throws and is called from one thread at a time (the monitor's sampler).
 */
public interface HostTelemetry {

    /** The state now; a value that cannot be read is null. */
    HostMetrics read();

    /** Telemetry through OSHI for this machine. */
    static HostTelemetry open() {
        return OshiHostTelemetry.open();
    }
}
