package io.dlstation.monitor;

import io.dlstation.config.AlertMetric;
import io.dlstation.gpu.ClocksEventReasons;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.host.HostMetrics;

/** Reads an {@link AlertMetric} out of a snapshot; null when the value is missing. */
final class MetricValues {
    private MetricValues() {}

    /**
     * The value of {@code metric} for {@code gpu} (per-GPU metrics) or for the host (host metrics,
     * {@code gpu} ignored).
     */
    static Double value(AlertMetric metric, HostMetrics host, GpuDevice gpu) {
        return switch (metric) {
            case GPU_TEMPERATURE_CELSIUS -> number(gpu.temperatureCelsius());
            case GPU_UTILIZATION_PERCENT -> number(gpu.utilizationGpuPercent());
            case GPU_MEMORY_UTILIZATION_PERCENT -> number(gpu.utilizationMemoryPercent());
            case GPU_MEMORY_USED_PERCENT -> gpu.memory() == null || gpu.memory().totalBytes() <= 0 ? null
                    : gpu.memory().usedPercent();
            case GPU_MEMORY_USED_BYTES -> gpu.memory() == null ? null : (double) gpu.memory().usedBytes();
            case GPU_POWER_WATTS -> gpu.powerWatts();
            case GPU_POWER_LIMIT_PERCENT -> gpu.powerWatts() == null || gpu.powerLimitWatts() == null
                    || gpu.powerLimitWatts() <= 0 ? null : 100.0 * gpu.powerWatts() / gpu.powerLimitWatts();
            case GPU_SM_CLOCK_MHZ -> number(gpu.smClockMhz());
            case GPU_MEMORY_CLOCK_MHZ -> number(gpu.memoryClockMhz());
            case GPU_FAN_SPEED_PERCENT -> number(gpu.fanSpeedPercent());
            case GPU_SLOWDOWN -> gpu.clocksEventReasons() == null ? null
                    : ClocksEventReasons.isSlowdown(gpu.clocksEventReasons()) ? 1.0 : 0.0;
            case HOST_CPU_UTILIZATION_PERCENT -> host == null ? null : host.cpuUtilizationPercent();
            case HOST_CPU_TEMPERATURE_CELSIUS -> host == null ? null : host.cpuTemperatureCelsius();
            case HOST_MEMORY_USED_PERCENT -> host == null ? null : host.memoryUsedPercent();
            case HOST_SWAP_USED_PERCENT -> host == null ? null : host.swapUsedPercent();
            case HOST_LOAD_AVERAGE_1M -> host == null ? null : host.loadAverage1m();
        };
    }

    private static Double number(Integer value) {
        return value == null ? null : value.doubleValue();
    }
}
