package io.dlstation.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs on a machine with an NVIDIA GPU and driver. */
@Tag("gpu")
class NvmlTelemetryGpuTest {

    @Test
    void readsEveryFieldOfTheFirstGpu() {
        try (GpuTelemetry telemetry = GpuTelemetry.open()) {
            GpuInventory inventory = telemetry.read();
            assertThat(inventory.reason()).isNull();
            assertThat(inventory.driverVersion()).matches("\\d+\\.\\d+(\\.\\d+)?");
            assertThat(inventory.cudaDriverVersionCode()).isGreaterThanOrEqualTo(11000);
            assertThat(inventory.devices()).isNotEmpty();
            GpuDevice gpu = inventory.devices().get(0);
            assertThat(gpu.index()).isZero();
            assertThat(gpu.name()).startsWith("NVIDIA");
            assertThat(gpu.uuid()).startsWith("GPU-");
            assertThat(gpu.pciBusId()).matches("[0-9A-Fa-f]{8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.\\d");
            assertThat(gpu.computeCapability()).matches("\\d+\\.\\d+");
            assertThat(gpu.memory().totalBytes()).isGreaterThan(1L << 30);
            assertThat(gpu.memory().usedBytes() + gpu.memory().freeBytes()).isLessThanOrEqualTo(gpu.memory().totalBytes());
            assertThat(gpu.temperatureCelsius()).isBetween(5, 110);
            assertThat(gpu.powerWatts()).isPositive();
            assertThat(gpu.powerLimitWatts()).isGreaterThan(gpu.powerWatts() / 2);
            assertThat(gpu.smClockMhz()).isPositive();
            assertThat(gpu.maxSmClockMhz()).isGreaterThanOrEqualTo(gpu.smClockMhz());
            assertThat(gpu.memoryClockMhz()).isPositive();
            assertThat(gpu.utilizationGpuPercent()).isBetween(0, 100);
            assertThat(gpu.clocksEventReasons()).isNotNull();
        }
    }
}
