package io.dlstation.monitor;

import io.dlstation.gpu.GpuInventory;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.host.HostMetrics;
import io.dlstation.host.HostTelemetry;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * Takes one {@link MonitorSnapshot} of every GPU and the host. Never throws: a telemetry source that
 * fails yields missing values and a reason, so the loop that calls it keeps running.
 *
 * <p>Not thread safe; one sampler thread calls {@link #sample()}. Reusable outside {@code monitor}
 * (e.g. by a server that exports GPU metrics): it owns neither telemetry source.
 */
public final class Sampler {
    private final GpuTelemetry gpus;
    private final HostTelemetry host;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private String hostname;

    /**
     * @param gpus where GPU state comes from (the caller closes it)
     * @param host where host state comes from
     * @param clock stamps each snapshot
     * @param nanoTime measures how long a sample takes ({@code System::nanoTime})
     */
    public Sampler(GpuTelemetry gpus, HostTelemetry host, Clock clock, LongSupplier nanoTime) {
        this.gpus = gpus;
        this.host = host;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /** A sampler on the system clock. */
    public static Sampler of(GpuTelemetry gpus, HostTelemetry host) {
        return new Sampler(gpus, host, Clock.systemUTC(), System::nanoTime);
    }

    /** One snapshot, now. */
    public MonitorSnapshot sample() {
        long start = nanoTime.getAsLong();
        GpuInventory inventory = readGpus();
        HostMetrics hostMetrics = readHost();
        double millis = (nanoTime.getAsLong() - start) / 1e6;
        return new MonitorSnapshot(MonitorSnapshot.SCHEMA, clock.instant(), hostMetrics, inventory.devices(),
                inventory.driverVersion(), inventory.cudaDriverVersion(), inventory.reason(), millis);
    }

    private GpuInventory readGpus() {
        try {
            GpuInventory inventory = gpus.read();
            return inventory == null ? GpuInventory.unavailable("GPU telemetry returned nothing") : inventory;
        } catch (RuntimeException | LinkageError e) {
            return GpuInventory.unavailable("GPU telemetry failed: " + (e.getMessage() == null ? "no detail" : e.getMessage()));
        }
    }

    private HostMetrics readHost() {
        try {
            HostMetrics metrics = host.read();
            if (metrics != null) {
                hostname = metrics.hostname();
                return metrics;
            }
        } catch (RuntimeException | LinkageError e) {
            // missing host data this time; the GPUs are still reported
        }
        return HostMetrics.unknown(hostname);
    }
}
