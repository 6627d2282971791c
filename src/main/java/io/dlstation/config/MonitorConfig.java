package io.dlstation.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.dlstation.error.DlstationException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code monitor:} section of dlstation.yaml.
 *
 * @param interval time between samples (default 5s)
 * @param rules alert rules; null (the key left out) for {@link AlertRuleConfig#defaults()}, an empty
 *     list for none
 * @param notifiers where alert events go
 */
public record MonitorConfig(
        @JsonDeserialize(using = DurationText.Positive.class) Duration interval,
        List<AlertRuleConfig> rules,
        NotifiersConfig notifiers) {

    /** The sampling interval when neither the file nor {@code --interval} sets one. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    public MonitorConfig {
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        checkInterval(interval, "interval");
        rules = rules == null ? AlertRuleConfig.defaults() : List.copyOf(rules);
        Set<String> names = new HashSet<>();
        for (AlertRuleConfig rule : rules) {
            if (!names.add(rule.name())) {
                throw DlstationException.badInput("rules: two rules are named '" + rule.name()
                        + "'; give each rule its own name");
            }
        }
        notifiers = notifiers == null ? NotifiersConfig.defaults() : notifiers;
    }

    /** Every value at its default: the shipped rules, standard error and log notifiers. */
    public static MonitorConfig defaults() {
        return new MonitorConfig(null, null, null);
    }

    /** Refuses a zero or negative interval, naming {@code field}. */
    public static void checkInterval(Duration interval, String field) {
        if (interval.isNegative() || interval.isZero()) {
            throw DlstationException.badInput(field + " " + DurationText.format(interval)
                    + " must be positive, e.g. 5s or 500ms");
        }
    }
}
