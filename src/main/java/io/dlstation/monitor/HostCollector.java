package io.dlstation.monitor;

import io.dlstation.host.HostMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Host gauges in base units ({@code dlstation_host_*}: ratios 0..1, bytes, hertz, Celsius, load
 * averages as node_exporter's {@code load1}), and the monitor's own sample time and age. Values
 * come from the latest snapshot; missing readings are left out. Thread safe.
 */
public final class HostCollector implements MultiCollector {
    private record Family(String name, String help, Function<MonitorSnapshot, Double> value) {}

    private static final String PER_CORE = "dlstation_host_cpu_core_utilization_ratio";
    private static final String PER_CORE_HELP = "CPU time in use per logical processor, as a ratio (0..1).";

    private static final List<Family> FAMILIES = List.of(
            host("dlstation_host_cpu_utilization_ratio",
                    "CPU time in use, all logical processors, as a ratio (0..1) since the previous sample.",
                    h -> ratio(h.cpuUtilizationPercent())),
            host("dlstation_host_cpu_frequency_hertz", "Mean current CPU frequency in hertz.",
                    h -> scale(h.cpuFrequencyMhz(), 1e6)),
            host("dlstation_host_cpu_max_frequency_hertz", "Rated maximum CPU frequency in hertz.",
                    h -> scale(h.maxCpuFrequencyMhz(), 1e6)),
            host("dlstation_host_cpu_temperature_celsius", "CPU package temperature in degrees Celsius.",
                    HostMetrics::cpuTemperatureCelsius),
            host("dlstation_host_memory_total_bytes", "Physical memory in bytes.", h -> number(h.memoryTotalBytes())),
            host("dlstation_host_memory_used_bytes", "Physical memory in use (total minus available) in bytes.",
                    h -> number(h.memoryUsedBytes())),
            host("dlstation_host_memory_available_bytes",
                    "Physical memory available to programs without swapping, in bytes.",
                    h -> number(h.memoryAvailableBytes())),
            host("dlstation_host_swap_total_bytes", "Swap space in bytes.", h -> number(h.swapTotalBytes())),
            host("dlstation_host_swap_used_bytes", "Swap space in use in bytes.", h -> number(h.swapUsedBytes())),
            host("dlstation_host_load1", "1-minute load average.", HostMetrics::loadAverage1m),
            host("dlstation_host_load5", "5-minute load average.", HostMetrics::loadAverage5m),
            host("dlstation_host_load15", "15-minute load average.", HostMetrics::loadAverage15m),
            new Family("dlstation_monitor_sample_duration_seconds",
                    "How long the last sample of GPUs and host took, in seconds.", s -> s.sampleMillis() / 1000),
            new Family("dlstation_monitor_last_sample_timestamp_seconds",
                    "When the last sample was taken, in seconds since the epoch.",
                    s -> s.time().toEpochMilli() / 1000.0));

    private final Supplier<MonitorSnapshot> latest;

    public HostCollector(Supplier<MonitorSnapshot> latest) {
        this.latest = latest;
    }

    /** Registers a collector over {@code latest} on {@code registry}. */
    public static HostCollector register(PrometheusRegistry registry, Supplier<MonitorSnapshot> latest) {
        HostCollector collector = new HostCollector(latest);
        registry.register(collector);
        return collector;
    }

    @Override
    public MetricSnapshots collect() {
        MonitorSnapshot snapshot = latest.get();
        if (snapshot == null) {
            return new MetricSnapshots();
        }
        List<MetricSnapshot> out = new ArrayList<>();
        for (Family family : FAMILIES) {
            new Gauges(family.name(), family.help()).add(Labels.EMPTY, family.value().apply(snapshot)).addTo(out);
        }
        List<Double> cores = snapshot.host().coreUtilizationPercent();
        Gauges perCore = new Gauges(PER_CORE, PER_CORE_HELP);
        for (int i = 0; i < cores.size(); i++) {
            perCore.add(Labels.of("cpu", Integer.toString(i)), ratio(cores.get(i)));
        }
        perCore.addTo(out);
        return new MetricSnapshots(out);
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        List<MetricFamilyDescriptor> descriptors = new ArrayList<>();
        FAMILIES.forEach(f -> descriptors.add(Gauges.descriptor(f.name(), f.help())));
        descriptors.add(Gauges.descriptor(PER_CORE, PER_CORE_HELP, "cpu"));
        return descriptors;
    }

    private static Family host(String name, String help, Function<HostMetrics, Double> value) {
        return new Family(name, help, s -> s.host() == null ? null : value.apply(s.host()));
    }

    private static Double ratio(Double percent) {
        return percent == null ? null : percent / 100;
    }

    private static Double scale(Double value, double factor) {
        return value == null ? null : value * factor;
    }

    private static Double number(Long value) {
        return value == null ? null : value.doubleValue();
    }
}
