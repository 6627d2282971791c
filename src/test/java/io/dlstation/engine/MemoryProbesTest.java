package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuInventory;
import io.dlstation.gpu.GpuTelemetry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryProbesTest {

    private static GpuDevice gpu(int index, String uuid) {
        return new GpuDevice(index, "NVIDIA H100", uuid, null, "9.0", null, null, null, null, null, null, null, null,
                null, null, null, null, null, List.of(), List.of());
    }

    @Test
    void mapsCudaIndicesToNvmlThroughCudaVisibleDevices() {
        GpuInventory inventory = new GpuInventory("580", "13.0",
                List.of(gpu(0, "GPU-aaaa-1111"), gpu(1, "GPU-bbbb-2222")), null);
        assertThat(MemoryProbes.nvmlIndexOf(0, Map.of(), inventory)).isZero();
        assertThat(MemoryProbes.nvmlIndexOf(1, Map.of(), inventory)).isEqualTo(1);
        assertThat(MemoryProbes.nvmlIndexOf(0, Map.of("CUDA_VISIBLE_DEVICES", "1"), inventory)).isEqualTo(1);
        assertThat(MemoryProbes.nvmlIndexOf(1, Map.of("CUDA_VISIBLE_DEVICES", "1,0"), inventory)).isZero();
        assertThat(MemoryProbes.nvmlIndexOf(0, Map.of("CUDA_VISIBLE_DEVICES", "GPU-bbbb"), inventory)).isEqualTo(1);
    }

    @Test
    void theCpuIsMeasuredByThisProcesssResidentSize() {
        try (GpuTelemetry telemetry = GpuTelemetry.open("libnvidia-ml-not-here.so.1")) {
            MemoryProbe probe = MemoryProbes.forDevice(Device.cpu(), telemetry);
            assertThat(probe.source()).isEqualTo("process-rss");
            long used = probe.usedBytes();
            assertThat(used).isGreaterThan(10L << 20); // a JVM with DJL loaded is far above 10 MiB
        }
    }

    @Test
    void aGpuWithoutNvmlReadsAsUnknownNotAsZero() {
        try (GpuTelemetry telemetry = GpuTelemetry.open("libnvidia-ml-not-here.so.1")) {
            MemoryProbe probe = MemoryProbes.forDevice(Device.gpu(0), telemetry);
            assertThat(probe.usedBytes()).isEqualTo(-1);
        }
    }
}
