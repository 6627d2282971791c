package io.dlstation.monitor;

import io.dlstation.config.AlertRuleConfig;
import java.time.Instant;
import java.util.Locale;

/**
 * A rule that is breached now, on one subject: pending (waiting out its {@code for}) or firing.
 *
 * @param subject {@code gpu0}, ... or {@code host}
 * @param value the latest value
 * @param since when the breach began (pending) or the rule fired (firing)
 */
public record ActiveAlert(String rule, AlertRuleConfig.Severity severity, String subject, State state, Double value,
        Instant since) {

    /** Pending until the breach has lasted the rule's {@code for}, then firing. */
    public enum State {
        PENDING,
        FIRING;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
