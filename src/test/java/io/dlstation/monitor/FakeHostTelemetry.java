package io.dlstation.monitor;

import io.dlstation.host.HostMetrics;
import io.dlstation.host.HostTelemetry;
import java.util.List;

/** Host telemetry for tests: a fixed reading the test may change. */
final class FakeHostTelemetry implements HostTelemetry {
    private volatile HostMetrics metrics = host(50.0);
    private volatile RuntimeException failure;

    /** A 4-core host with 64 GiB of memory, {@code memoryUsedPercent} of it in use. */
    static HostMetrics host(double memoryUsedPercent) {
        long total = 64L << 30;
        long used = Math.round(total * memoryUsedPercent / 100);
        return new HostMetrics("box01", 25.0, List.of(10.0, 20.0, 30.0, 40.0), 2400.0, 3500.0, 55.0, total, used,
                total - used, 8L << 30, 1L << 30, 1.5, 1.0, 0.5);
    }

    void set(HostMetrics metrics) {
        this.metrics = metrics;
    }

    void failWith(RuntimeException e) {
        failure = e;
    }

    @Override
    public HostMetrics read() {
        RuntimeException e = failure;
        if (e != null) {
            throw e;
        }
        return metrics;
    }
}
