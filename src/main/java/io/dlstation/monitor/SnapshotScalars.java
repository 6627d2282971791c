package io.dlstation.monitor;

import io.dlstation.config.AlertMetric;
import io.dlstation.gpu.GpuDevice;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot as named numbers, the form scalar writers take (TensorBoard tags):
 * {@code gpu0/temperature_celsius}, {@code gpu0/utilization_percent}, ...,
 * {@code host/memory_used_percent}. Missing values are left out. The names are those of the alert
 * metrics without their {@code gpu_}/{@code host_} prefix.
 */
final class SnapshotScalars {
    private SnapshotScalars() {}

    /** Every known value of {@code snapshot}, GPUs first (by index), then the host. */
    public static Map<String, Double> of(MonitorSnapshot snapshot) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (GpuDevice gpu : snapshot.gpus()) {
            for (AlertMetric metric : AlertMetric.values()) {
                if (metric.perGpu()) {
                    put(values, "gpu" + gpu.index() + "/" + metric.text().substring("gpu_".length()),
                            MetricValues.value(metric, snapshot.host(), gpu));
                }
            }
        }
        for (AlertMetric metric : AlertMetric.values()) {
            if (!metric.perGpu()) {
                put(values, "host/" + metric.text().substring("host_".length()),
                        MetricValues.value(metric, snapshot.host(), null));
            }
        }
        return values;
    }

    private static void put(Map<String, Double> values, String name, Double value) {
        if (value != null && Double.isFinite(value)) {
            values.put(name, value);
        }
    }
}
