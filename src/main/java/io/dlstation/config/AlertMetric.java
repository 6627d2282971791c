package io.dlstation.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dlstation.error.DlstationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an alert rule in {@code monitor.rules} can watch. GPU metrics are evaluated per GPU, host
 * metrics once per host.
 */
public enum AlertMetric {
    GPU_TEMPERATURE_CELSIUS(true, 3),
    GPU_UTILIZATION_PERCENT(true, 5),
    GPU_MEMORY_UTILIZATION_PERCENT(true, 5),
    GPU_MEMORY_USED_PERCENT(true, 2),
    GPU_MEMORY_USED_BYTES(true, 0),
    GPU_POWER_WATTS(true, 10),
    GPU_POWER_LIMIT_PERCENT(true, 5),
    GPU_SM_CLOCK_MHZ(true, 50),
    GPU_MEMORY_CLOCK_MHZ(true, 50),
    GPU_FAN_SPEED_PERCENT(true, 5),
    /** 1 while NVML reports a power or thermal slowdown among the clocks-event reasons, else 0. */
    GPU_SLOWDOWN(true, 0),
    HOST_CPU_UTILIZATION_PERCENT(false, 5),
    HOST_CPU_TEMPERATURE_CELSIUS(false, 3),
    HOST_MEMORY_USED_PERCENT(false, 2),
    HOST_SWAP_USED_PERCENT(false, 2),
    HOST_LOAD_AVERAGE_1M(false, 0.5);

    private final boolean perGpu;
    private final double defaultHysteresis;

    AlertMetric(boolean perGpu, double defaultHysteresis) {
        this.perGpu = perGpu;
        this.defaultHysteresis = defaultHysteresis;
    }

    /** Whether the metric is read per GPU (else once for the host). */
    public boolean perGpu() {
        return perGpu;
    }

    /** The hysteresis a rule gets when it does not set one, in the metric's unit. */
    public double defaultHysteresis() {
        return defaultHysteresis;
    }

    /** The name used in dlstation.yaml, e.g. {@code gpu_temperature_celsius}. */
    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return text();
    }

    /** The metric named {@code text}; an unknown name is an error that lists the known ones. */
    @JsonCreator
    public static AlertMetric parse(String text) {
        for (AlertMetric m : values()) {
            if (m.text().equals(text)) {
                return m;
            }
        }
        throw DlstationException.badInput("unknown metric '" + text + "'; use one of: " + names());
    }

    /** Every metric name, comma separated. */
    public static String names() {
        return Arrays.stream(values()).map(AlertMetric::text).collect(Collectors.joining(", "));
    }
}
