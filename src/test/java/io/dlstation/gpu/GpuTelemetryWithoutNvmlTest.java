package io.dlstation.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A machine without NVML gets an empty inventory and a reason, never an exception. */
class GpuTelemetryWithoutNvmlTest {

    @Test
    void missingLibraryGivesEmptyInventoryWithReason() {
        try (GpuTelemetry telemetry = GpuTelemetry.open("libnvidia-ml-not-here.so.1")) {
            GpuInventory inventory = telemetry.read();
            assertThat(inventory.devices()).isEmpty();
            assertThat(inventory.nvmlAvailable()).isFalse();
            assertThat(inventory.reason()).contains("libnvidia-ml-not-here.so.1").contains("driver");
            assertThat(inventory.driverVersion()).isNull();
            assertThat(inventory.cudaDriverVersionCode()).isEqualTo(-1);
        }
    }

    @Test
    void libraryWithoutNvmlSymbolsIsReportedNotThrown() {
        // libz is on every Linux machine and has no nvmlInit_v2.
        try (GpuTelemetry telemetry = GpuTelemetry.open("libz.so.1")) {
            GpuInventory inventory = telemetry.read();
            assertThat(inventory.devices()).isEmpty();
            assertThat(inventory.reason()).contains("libz.so.1").contains("not a usable NVML library");
        }
    }

    @Test
    void cStringStopsAtTheFirstNul() {
        byte[] buffer = new byte[16];
        byte[] text = "H100".getBytes();
        System.arraycopy(text, 0, buffer, 0, text.length);
        buffer[6] = 'x';
        assertThat(NvmlTelemetry.cString(buffer)).isEqualTo("H100");
    }
}
