package io.dlstation.monitor;

import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuInventory;
import io.dlstation.gpu.GpuMemory;
import io.dlstation.gpu.GpuProcess;
import io.dlstation.gpu.GpuTelemetry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** GPU telemetry for tests: returns whatever inventory the test sets, and counts reads. */
public final class FakeGpuTelemetry implements GpuTelemetry {
    private volatile GpuInventory inventory;
    private volatile RuntimeException failure;
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean closed;

    public FakeGpuTelemetry(GpuDevice... devices) {
        set(devices);
    }

    /** Two H100s: GPU 0 busy and hot with one process, GPU 1 idle. */
    public static FakeGpuTelemetry twoGpus() {
        return new FakeGpuTelemetry(
                gpu(0, 88, 97, 70L << 30, List.of(new GpuProcess(4242, 70L << 30, "/usr/bin/python3 train.py --batch 64"))),
                gpu(1, 34, 0, 1L << 30, List.of()));
    }

    /** An H100 with the given temperature, utilisation and used memory (of 80 GiB). */
    public static GpuDevice gpu(int index, Integer temperature, Integer utilization, long usedBytes,
            List<GpuProcess> processes) {
        long total = 80L << 30;
        return new GpuDevice(index, "NVIDIA H100 80GB HBM3", "GPU-0000000" + index + "-aaaa-bbbb-cccc-dddddddddddd",
                "00000000:0" + (index + 1) + ":00.0", "9.0", new GpuMemory(total, usedBytes, total - usedBytes, 512L << 20),
                utilization, utilization == null ? null : utilization / 2, temperature, null, 0, 312.5, 700.0, 1980, 2619,
                1980, 2619, 0x4L, List.of("SwPowerCap"), processes);
    }

    public void set(GpuDevice... devices) {
        inventory = new GpuInventory("580.159.04", "13.0", List.of(devices), null);
    }

    public void unavailable(String reason) {
        inventory = GpuInventory.unavailable(reason);
    }

    public void failWith(RuntimeException e) {
        failure = e;
    }

    public int reads() {
        return reads.get();
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public GpuInventory read() {
        reads.incrementAndGet();
        RuntimeException e = failure;
        if (e != null) {
            throw e;
        }
        return inventory;
    }

    @Override
    public void close() {
        closed = true;
    }
}
