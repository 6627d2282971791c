package io.dlstation.host;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.Sensors;
import oshi.hardware.VirtualMemory;

/**
 * {@link HostTelemetry} through OSHI. Keeps the CPU tick counters of the previous reading to compute
 * load between readings. Every value is read on its own; one that fails is null.
 *
 * <p>Not thread safe: the sampler calls {@link #read()} from one thread.
 */
final class OshiHostTelemetry implements HostTelemetry {
    private final String hostname;
    private final CentralProcessor cpu;
    private final GlobalMemory memory;
    private final Sensors sensors;
    private final Double maxFrequencyMhz;
    private long[] previousTicks;
    private long[][] previousCoreTicks;

    private OshiHostTelemetry(String hostname, CentralProcessor cpu, GlobalMemory memory, Sensors sensors) {
        this.hostname = hostname;
        this.cpu = cpu;
        this.memory = memory;
        this.sensors = sensors;
        this.maxFrequencyMhz = cpu == null ? null : mhz(orNull(cpu::getMaxFreq));
        this.previousTicks = cpu == null ? null : orNull(cpu::getSystemCpuLoadTicks);
        this.previousCoreTicks = cpu == null ? null : orNull(cpu::getProcessorCpuLoadTicks);
    }

    static HostTelemetry open() {
        SystemInfo system = orNull(SystemInfo::new);
        HardwareAbstractionLayer hardware = system == null ? null : orNull(system::getHardware);
        String hostname = system == null ? null : orNull(() -> system.getOperatingSystem().getNetworkParams().getHostName());
        if (hostname == null || hostname.isBlank()) {
            hostname = orNull(() -> System.getenv("HOSTNAME"));
        }
        return new OshiHostTelemetry(hostname,
                hardware == null ? null : orNull(hardware::getProcessor),
                hardware == null ? null : orNull(hardware::getMemory),
                hardware == null ? null : orNull(hardware::getSensors));
    }

    @Override
    public HostMetrics read() {
        Double load = null;
        List<Double> coreLoads = List.of();
        Double frequency = null;
        if (cpu != null) {
            long[] ticks = orNull(cpu::getSystemCpuLoadTicks);
            if (ticks != null && previousTicks != null && advanced(previousTicks, ticks)) {
                long[] before = previousTicks;
                load = percent(orNull(() -> cpu.getSystemCpuLoadBetweenTicks(before)));
            }
            previousTicks = ticks;
            long[][] coreTicks = orNull(cpu::getProcessorCpuLoadTicks);
            if (coreTicks != null && previousCoreTicks != null && previousCoreTicks.length == coreTicks.length) {
                long[][] before = previousCoreTicks;
                double[] loads = orNull(() -> cpu.getProcessorCpuLoadBetweenTicks(before));
                coreLoads = loads == null ? List.of() : coreLoads(before, coreTicks, loads);
            }
            previousCoreTicks = coreTicks;
            frequency = meanMhz(orNull(cpu::getCurrentFreq));
        }
        VirtualMemory swap = memory == null ? null : orNull(memory::getVirtualMemory);
        Long total = memory == null ? null : positive(orNull(memory::getTotal));
        Long available = memory == null ? null : nonNegative(orNull(memory::getAvailable));
        double[] loadAverage = cpu == null ? null : orNull(() -> cpu.getSystemLoadAverage(3));
        return new HostMetrics(
                hostname,
                load,
                coreLoads,
                frequency,
                maxFrequencyMhz,
                sensors == null ? null : celsius(orNull(sensors::getCpuTemperature)),
                total,
                total == null || available == null ? null : Math.max(0, total - available),
                available,
                swap == null ? null : nonNegative(orNull(swap::getSwapTotal)),
                swap == null ? null : nonNegative(orNull(swap::getSwapUsed)),
                loadAverage(loadAverage, 0),
                loadAverage(loadAverage, 1),
                loadAverage(loadAverage, 2));
    }

    private static List<Double> coreLoads(long[][] before, long[][] after, double[] loads) {
        List<Double> result = new ArrayList<>(loads.length);
        for (int i = 0; i < loads.length; i++) {
            boolean measured = i < before.length && i < after.length && advanced(before[i], after[i]);
            result.add(measured ? percent(loads[i]) : null);
        }
        return result;
    }

    /** Whether any tick counter moved: with none, a load cannot be computed. */
    private static boolean advanced(long[] before, long[] after) {
        long sumBefore = 0;
        long sumAfter = 0;
        for (long t : before) {
            sumBefore += t;
        }
        for (long t : after) {
            sumAfter += t;
        }
        return sumAfter > sumBefore;
    }

    private static Double percent(Double fraction) {
        return fraction == null || !Double.isFinite(fraction) || fraction < 0 ? null : Math.min(100.0, 100.0 * fraction);
    }

    private static Double meanMhz(long[] hertz) {
        if (hertz == null) {
            return null;
        }
        double sum = 0;
        int n = 0;
        for (long hz : hertz) {
            if (hz > 0) {
                sum += hz;
                n++;
            }
        }
        return n == 0 ? null : sum / n / 1e6;
    }

    private static Double mhz(Long hertz) {
        return hertz == null || hertz <= 0 ? null : hertz / 1e6;
    }

    /** OSHI reports 0 or NaN when no sensor is readable. */
    private static Double celsius(Double value) {
        return value == null || !Double.isFinite(value) || value <= 0 ? null : value;
    }

    private static Double loadAverage(double[] values, int i) {
        return values == null || values.length <= i || values[i] < 0 || !Double.isFinite(values[i]) ? null : values[i];
    }

    private static Long positive(Long value) {
        return value == null || value <= 0 ? null : value;
    }

    private static Long nonNegative(Long value) {
        return value == null || value < 0 ? null : value;
    }

    private static <T> T orNull(Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
