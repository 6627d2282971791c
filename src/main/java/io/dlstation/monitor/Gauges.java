package io.dlstation.monitor;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

/** Builds one gauge family for a scrape; a family with no value is left out of the exposition. */
final class Gauges {
    private final String name;
    private final String help;
    private final List<GaugeDataPointSnapshot> points = new ArrayList<>();

    Gauges(String name, String help) {
        this.name = name;
        this.help = help;
    }

    /** Adds a value; a null or non-finite value (a missing reading) is skipped. */
    Gauges add(Labels labels, Double value) {
        if (value != null && Double.isFinite(value)) {
            points.add(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }
        return this;
    }

    /** Appends the family to {@code out} when it holds a value. */
    void addTo(List<MetricSnapshot> out) {
        if (!points.isEmpty()) {
            GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
            points.forEach(builder::dataPoint);
            out.add(builder.build());
        }
    }

    /** What a collector declares it serves: a gauge family with these labels. */
    static MetricFamilyDescriptor descriptor(String name, String help, String... labelNames) {
        return MetricFamilyDescriptor.gauge(name).help(help).labelNames(labelNames).build();
    }

    /** A label value: never null. */
    static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
