package io.dlstation.monitor;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code dlstation_alerts{alertname, alertstate, severity, subject}}: 1 for each rule that is pending
 * or firing, like Prometheus's own {@code ALERTS} series. Thread safe.
 */
public final class AlertCollector implements MultiCollector {
    static final String NAME = "dlstation_alerts";
    private static final String HELP = "1 for each alert rule of dlstation monitor that is pending or firing.";

    private final Supplier<List<ActiveAlert>> active;

    public AlertCollector(Supplier<List<ActiveAlert>> active) {
        this.active = active;
    }

    @Override
    public MetricSnapshots collect() {
        Gauges gauges = new Gauges(NAME, HELP);
        for (ActiveAlert a : active.get()) {
            gauges.add(Labels.of("alertname", a.rule(), "alertstate", a.state().toString(),
                    "severity", a.severity().toString(), "subject", a.subject()), 1.0);
        }
        List<MetricSnapshot> out = new ArrayList<>();
        gauges.addTo(out);
        return new MetricSnapshots(out);
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        return List.of(Gauges.descriptor(NAME, HELP, "alertname", "alertstate", "severity", "subject"));
    }
}
