package io.dlstation.engine;

import ai.djl.Device;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuInventory;
import io.dlstation.gpu.GpuProcess;
import io.dlstation.gpu.GpuTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Chooses how to measure memory for a device.
 *
 * <p>DJL exposes no CUDA caching-allocator statistics, so on a GPU the profiler reads NVML: this
 * process's GPU memory (allocator reserve plus CUDA context) where the driver attributes memory to
 * processes, else the device's used memory (inside containers NVML often cannot see our pid). On the
 * CPU it reads this process's resident set size.
 */
public final class MemoryProbes {
    private MemoryProbes() {}

    /** The best probe for {@code device}. */
    public static MemoryProbe forDevice(Device device, GpuTelemetry telemetry) {
        if (!device.isGpu()) {
            return new ProcessRssProbe();
        }
        int nvmlIndex = nvmlIndexOf(device.getDeviceId(), System.getenv(), telemetry.read());
        long pid = ProcessHandle.current().pid();
        NvmlProcessProbe process = new NvmlProcessProbe(telemetry, nvmlIndex, pid, device);
        return process.usedBytes() >= 0 ? process : new NvmlDeviceProbe(telemetry, nvmlIndex, device);
    }

    /**
     * The NVML index of CUDA device {@code cudaIndex}, honouring {@code CUDA_VISIBLE_DEVICES} (indices or
     * UUIDs); without it CUDA and NVML count the same GPUs in the same order on hosts of one GPU model.
     */
    static int nvmlIndexOf(int cudaIndex, Map<String, String> env, GpuInventory inventory) {
        String visible = env.get("CUDA_VISIBLE_DEVICES");
        if (visible == null || visible.isBlank()) {
            return cudaIndex;
        }
        String[] entries = visible.split(",");
        if (cudaIndex >= entries.length) {
            return cudaIndex;
        }
        String entry = entries[cudaIndex].strip();
        if (entry.matches("\\d+")) {
            return Integer.parseInt(entry);
        }
        List<GpuDevice> devices = inventory.devices();
        for (GpuDevice d : devices) {
            if (d.uuid() != null && d.uuid().startsWith(entry)) {
                return d.index();
            }
        }
        return cudaIndex;
    }

    /** This process's memory on one GPU, as NVML attributes it. */
    static final class NvmlProcessProbe implements MemoryProbe {
        private final GpuTelemetry telemetry;
        private final int nvmlIndex;
        private final long pid;
        private final Device cuda;

        NvmlProcessProbe(GpuTelemetry telemetry, int nvmlIndex, long pid, Device cuda) {
            this.telemetry = telemetry;
            this.nvmlIndex = nvmlIndex;
            this.pid = pid;
            this.cuda = cuda;
        }

        @Override
        public java.util.Optional<AllocatorCounters> allocatorCounters() {
            return GpuMemory.counters(cuda);
        }

        @Override
        public void resetAllocatorPeaks() {
            GpuMemory.resetPeaks(cuda);
        }

        @Override
        public long usedBytes() {
            GpuDevice device = device(telemetry.read(), nvmlIndex);
            if (device == null) {
                return -1;
            }
            for (GpuProcess p : device.processes()) {
                if (p.pid() == pid && p.usedBytes() != null) {
                    return p.usedBytes();
                }
            }
            return -1;
        }

        @Override
        public String source() {
            return "nvml-process";
        }
    }

    /** A whole GPU's used memory: everything on the device, not only this process. */
    static final class NvmlDeviceProbe implements MemoryProbe {
        private final GpuTelemetry telemetry;
        private final int nvmlIndex;
        private final Device cuda;

        NvmlDeviceProbe(GpuTelemetry telemetry, int nvmlIndex, Device cuda) {
            this.telemetry = telemetry;
            this.nvmlIndex = nvmlIndex;
            this.cuda = cuda;
        }

        @Override
        public java.util.Optional<AllocatorCounters> allocatorCounters() {
            return GpuMemory.counters(cuda);
        }

        @Override
        public void resetAllocatorPeaks() {
            GpuMemory.resetPeaks(cuda);
        }

        @Override
        public long usedBytes() {
            GpuDevice device = device(telemetry.read(), nvmlIndex);
            return device == null || device.memory() == null ? -1 : device.memory().usedBytes();
        }

        @Override
        public String source() {
            return "nvml-device";
        }
    }

    /** This JVM's resident set size, from /proc/self/statm. */
    static final class ProcessRssProbe implements MemoryProbe {
        private static final long PAGE = 4096;

        @Override
        public long usedBytes() {
            try {
                String[] fields = Files.readString(Path.of("/proc/self/statm")).strip().split("\\s+");
                return Long.parseLong(fields[1]) * PAGE;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        @Override
        public String source() {
            return "process-rss";
        }
    }

    private static GpuDevice device(GpuInventory inventory, int nvmlIndex) {
        for (GpuDevice d : inventory.devices()) {
            if (d.index() == nvmlIndex) {
                return d;
            }
        }
        return null;
    }
}
