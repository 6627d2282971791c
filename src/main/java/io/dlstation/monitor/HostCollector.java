package io.dlstation.monitor;

import io.dlstation.host.HostMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Host gauges in base units ({@code dlstation_host_*}: ratios 0..1, bytes, hertz, Celsius, load
 * averages as node_exporter's {@code load1}), and the monitor's own sample time and age. Values
 * come from the latest snapshot; missing readings are left out. Thread safe.
 */
public final class HostCollector implements MultiCollector {
    private static final List<String> NAMES = List.of(
            "dlstation_host_cpu_utilization_ratio", "dlstation_host_cpu_core_utilization_ratio",
            "dlstation_host_cpu_frequency_hertz", "dlstation_host_cpu_max_frequency_hertz",
            "dlstation_host_cpu_temperature_celsius", "dlstation_host_memory_total_bytes",
            "dlstation_host_memory_used_bytes", "dlstation_host_memory_available_bytes",
            "dlstation_host_swap_total_bytes", "dlstation_host_swap_used_bytes", "dlstation_host_load1",
            "dlstation_host_load5", "dlstation_host_load15", "dlstation_monitor_sample_duration_seconds",
            "dlstation_monitor_last_sample_timestamp_seconds");

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
        HostMetrics h = snapshot.host();
        Labels none = Labels.EMPTY;
        List<MetricSnapshot> out = new ArrayList<>();
        gauge(out, 0, "CPU time in use, all logical processors, as a ratio (0..1) since the previous sample.",
                ratio(h.cpuUtilizationPercent()));
        Gauges cores = new Gauges(NAMES.get(1), "CPU time in use per logical processor, as a ratio (0..1).");
        for (int i = 0; i < h.coreUtilizationPercent().size(); i++) {
            cores.add(Labels.of("cpu", Integer.toString(i)), ratio(h.coreUtilizationPercent().get(i)));
        }
        cores.addTo(out);
        gauge(out, 2, "Mean current CPU frequency in hertz.", scale(h.cpuFrequencyMhz(), 1e6));
        gauge(out, 3, "Rated maximum CPU frequency in hertz.", scale(h.maxCpuFrequencyMhz(), 1e6));
        gauge(out, 4, "CPU package temperature in degrees Celsius.", h.cpuTemperatureCelsius());
        gauge(out, 5, "Physical memory in bytes.", number(h.memoryTotalBytes()));
        gauge(out, 6, "Physical memory in use (total minus available) in bytes.", number(h.memoryUsedBytes()));
        gauge(out, 7, "Physical memory available to programs without swapping, in bytes.", number(h.memoryAvailableBytes()));
        gauge(out, 8, "Swap space in bytes.", number(h.swapTotalBytes()));
        gauge(out, 9, "Swap space in use in bytes.", number(h.swapUsedBytes()));
        gauge(out, 10, "1-minute load average.", h.loadAverage1m());
        gauge(out, 11, "5-minute load average.", h.loadAverage5m());
        gauge(out, 12, "15-minute load average.", h.loadAverage15m());
        gauge(out, 13, "How long the last sample of GPUs and host took, in seconds.", snapshot.sampleMillis() / 1000);
        gauge(out, 14, "When the last sample was taken, in seconds since the epoch.",
                snapshot.time().toEpochMilli() / 1000.0);
        return new MetricSnapshots(out);
    }

    private static void gauge(List<MetricSnapshot> out, int name, String help, Double value) {
        new Gauges(NAMES.get(name), help).add(Labels.EMPTY, value).addTo(out);
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
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
