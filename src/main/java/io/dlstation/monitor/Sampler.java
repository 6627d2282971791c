package io.dlstation.monitor;

import io.dlstation.gpu.GpuInventory;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.host.HostMetrics;
import io.dlstation.host.HostTelemetry;
import io.dlstation.time.Ticker;
import java.time.Clock;

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
    private final Ticker ticker;
    private String hostname;

    /**
     * @param gpus where GPU state comes from (the caller closes it)
     * @param host where host state comes from
     * @param clock stamps each snapshot
     * @param ticker measures how long a sample takes ({@link Ticker#system()})
     */
    public Sampler(GpuTelemetry gpus, HostTelemetry host, Clock clock, Ticker ticker) {
        this.gpus = gpus;
        this.host = host;
        this.clock = clock;
        this.ticker = ticker;
    }

    /** A sampler on the system clock and ticker. */
    public static Sampler of(GpuTelemetry gpus, HostTelemetry host) {
        return new Sampler(gpus, host, Clock.systemUTC(), Ticker.system());
    }

    /** One snapshot, now. */
    public MonitorSnapshot sample() {
        long start = ticker.read();
        GpuInventory inventory = readGpus();
        HostMetrics hostMetrics = readHost();
        double millis = (ticker.read() - start) / 1e6;
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
