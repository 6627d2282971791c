package io.dlstation.gpu;

import java.util.List;

/**
 * One GPU as NVML reports it at one moment. Any field the driver could not report is null: a failing
 * sensor is missing data, never an error.
 *
 * @param index NVML index (the same order as nvidia-smi and CUDA with the default device order)
 * @param powerWatts current board power draw
 * @param powerLimitWatts the enforced power limit
 * @param clocksEventReasons the raw bitmask; {@code clocksEventReasonNames} decodes it
 * @param computeCapability "9.0" for Hopper
 */
public record GpuDevice(
        int index,
        String name,
        String uuid,
        String pciBusId,
        String computeCapability,
        GpuMemory memory,
        Integer utilizationGpuPercent,
        Integer utilizationMemoryPercent,
        Integer temperatureCelsius,
        Integer fanSpeedPercent,
        Integer performanceState,
        Double powerWatts,
        Double powerLimitWatts,
        Integer smClockMhz,
        Integer memoryClockMhz,
        Integer maxSmClockMhz,
        Integer maxMemoryClockMhz,
        Long clocksEventReasons,
        List<String> clocksEventReasonNames,
        List<GpuProcess> processes) {

    public GpuDevice {
        clocksEventReasonNames = clocksEventReasonNames == null ? List.of() : List.copyOf(clocksEventReasonNames);
        processes = processes == null ? List.of() : List.copyOf(processes);
    }
}
