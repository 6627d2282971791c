package io.dlstation.monitor;

import io.dlstation.config.AlertRuleConfig;
import io.dlstation.gpu.GpuDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the alert rules on every snapshot and tells the notifier when a rule fires or resolves.
 * Per-GPU rules keep a state per GPU; time is the snapshots' own, so a test feeds snapshots stamped
 * by a fake clock. See {@link RuleState} for the states and the hysteresis.
 *
 * <p>Thread safety: {@link #accept} runs on the sampler thread; {@link #active()} may be read from
 * others (the Prometheus scrape). Both hold the engine's lock, which guards the states.
 */
public final class AlertEngine implements SnapshotSink {
    private final List<AlertRuleConfig> rules;
    private final AlertNotifier notifier;
    // @GuardedBy("this"): rule name + subject -> state, in rule order
    private final Map<String, Subject> states = new LinkedHashMap<>();

    private record Subject(AlertRuleConfig rule, String subject, RuleState state) {}

    public AlertEngine(List<AlertRuleConfig> rules, AlertNotifier notifier) {
        this.rules = List.copyOf(rules);
        this.notifier = notifier;
    }

    /** The rules, in the order they are evaluated. */
    public List<AlertRuleConfig> rules() {
        return rules;
    }

    @Override
    public synchronized void accept(MonitorSnapshot snapshot) {
        for (AlertRuleConfig rule : rules) {
            if (rule.metric().perGpu()) {
                for (GpuDevice gpu : snapshot.gpus()) {
                    if (rule.watchesGpu(gpu.index())) {
                        evaluate(rule, snapshot, gpu);
                    }
                }
            } else {
                evaluate(rule, snapshot, null);
            }
        }
    }

    private void evaluate(AlertRuleConfig rule, MonitorSnapshot snapshot, GpuDevice gpu) {
        String subject = gpu == null ? "host" : "gpu" + gpu.index();
        Subject s = states.computeIfAbsent(rule.name() + "\u0000" + subject,
                k -> new Subject(rule, subject, new RuleState()));
        Double value = MetricValues.value(rule.metric(), snapshot.host(), gpu);
        RuleState.Transition transition = s.state().step(rule, value, snapshot.time());
        if (transition == RuleState.Transition.NONE) {
            return;
        }
        AlertEvent.Status status = transition == RuleState.Transition.FIRED
                ? AlertEvent.Status.FIRING : AlertEvent.Status.RESOLVED;
        notifier.send(AlertEvent.of(status, rule, subject, snapshot.hostname(),
                gpu == null ? null : gpu.index(), gpu == null ? null : gpu.uuid(), gpu == null ? null : gpu.name(),
                value, status == AlertEvent.Status.FIRING ? s.state().breachStart() : s.state().firedAt(), snapshot.time(),
                false));
    }

    @Override
    public String describe() {
        return "the alert engine";
    }

    /** The rules breached now: pending or firing, per subject, in rule order. */
    public synchronized List<ActiveAlert> active() {
        List<ActiveAlert> active = new ArrayList<>();
        for (Subject s : states.values()) {
            if (s.state().state() != null) {
                active.add(new ActiveAlert(s.rule().name(), s.rule().severity(), s.subject(), s.state().state(),
                        s.state().value(), s.state().since()));
            }
        }
        return active;
    }
}
