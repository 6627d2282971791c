package io.dlstation.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The host's changing state at one moment. A value the machine does not expose, or a sensor that
 * failed, is null: missing data, never an error.
 *
 * @param cpuUtilizationPercent all logical processors together, since the previous reading
 * @param coreUtilizationPercent per logical processor, since the previous reading (entries may be null)
 * @param cpuFrequencyMhz the mean current frequency of the logical processors
 * @param maxCpuFrequencyMhz the processor's rated maximum
 * @param cpuTemperatureCelsius the CPU package temperature, where a sensor is readable
 * @param memoryUsedBytes total minus available (the memory programs cannot get without swapping)
 */
public record HostMetrics(
        String hostname,
        Double cpuUtilizationPercent,
        List<Double> coreUtilizationPercent,
        Double cpuFrequencyMhz,
        Double maxCpuFrequencyMhz,
        Double cpuTemperatureCelsius,
        Long memoryTotalBytes,
        Long memoryUsedBytes,
        Long memoryAvailableBytes,
        Long swapTotalBytes,
        Long swapUsedBytes,
        Double loadAverage1m,
        Double loadAverage5m,
        Double loadAverage15m) {

    public HostMetrics {
        coreUtilizationPercent = coreUtilizationPercent == null ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(coreUtilizationPercent));
    }

    /** Nothing known but the host name. */
    public static HostMetrics unknown(String hostname) {
        return new HostMetrics(hostname, null, List.of(), null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** Used memory as a percentage of total; null when either is unknown. */
    @JsonProperty("memoryUsedPercent")
    public Double memoryUsedPercent() {
        return percent(memoryUsedBytes, memoryTotalBytes);
    }

    /** Used swap as a percentage of total; null when unknown or when there is no swap. */
    @JsonProperty("swapUsedPercent")
    public Double swapUsedPercent() {
        return percent(swapUsedBytes, swapTotalBytes);
    }

    private static Double percent(Long part, Long total) {
        return part == null || total == null || total <= 0 ? null : 100.0 * part / total;
    }
}
