package io.dlstation.monitor;

import io.dlstation.gpu.GpuDevice;
import io.dlstation.host.HostMetrics;
import java.time.Instant;
import java.util.List;

/** Snapshots built by hand for tests. */
final class Snapshots {
    private Snapshots() {}

    static MonitorSnapshot of(Instant time, HostMetrics host, GpuDevice... gpus) {
        return new MonitorSnapshot(MonitorSnapshot.SCHEMA, time, host, List.of(gpus), "580.159.04", "13.0", null, 1.25);
    }

    /** GPU 0 at the given temperature, 50 % busy, 40 GiB used. */
    static GpuDevice gpuAt(int index, int temperature) {
        return FakeGpuTelemetry.gpu(index, temperature, 50, 40L << 30, List.of());
    }
}
