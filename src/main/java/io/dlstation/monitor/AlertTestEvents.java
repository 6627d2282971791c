package io.dlstation.monitor;

import io.dlstation.config.AlertRuleConfig;
import io.dlstation.gpu.GpuDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --alerts-test}: one firing event per rule, marked {@code "test": true}, so each notifier can
 * be checked end to end without waiting for a real breach. A GPU rule names the first GPU it watches
 * in the snapshot (gpu0 when there is none); the value is the rule's threshold.
 */
public final class AlertTestEvents {
    private AlertTestEvents() {}

    /** The test events for {@code rules}, stamped with the snapshot's time and host. */
    public static List<AlertEvent> of(List<AlertRuleConfig> rules, MonitorSnapshot snapshot) {
        List<AlertEvent> events = new ArrayList<>();
        for (AlertRuleConfig rule : rules) {
            GpuDevice gpu = rule.metric().perGpu()
                    ? snapshot.gpus().stream().filter(g -> rule.watchesGpu(g.index())).findFirst().orElse(null)
                    : null;
            Integer index = gpu != null ? Integer.valueOf(gpu.index())
                    : rule.metric().perGpu() ? Integer.valueOf(rule.gpus() == null ? 0 : rule.gpus().get(0)) : null;
            String subject = index == null ? "host" : "gpu" + index;
            events.add(AlertEvent.of(AlertEvent.Status.FIRING, rule, subject, snapshot.hostname(), index,
                    gpu == null ? null : gpu.uuid(), gpu == null ? null : gpu.name(), rule.threshold(), snapshot.time(),
                    snapshot.time(), true));
        }
        return events;
    }
}
