package io.dlstation.monitor;

import io.dlstation.config.AlertRuleConfig;
import java.time.Duration;
import java.time.Instant;

/**
 * One rule on one subject (a GPU or the host): inactive -> pending -> firing -> resolved (inactive
 * again).
 *
 * <ul>
 *   <li>inactive: a breached value ({@code value op threshold}) makes it pending;
 *   <li>pending: a value that is no longer breached makes it inactive again, silently; once the breach
 *       has lasted {@code for}, it fires;
 *   <li>firing: it resolves only when the value is past the threshold by the hysteresis in the other
 *       direction ({@code value <= threshold - hysteresis} for {@code >}); values in between keep it
 *       firing, so a value hovering at the threshold does not flap.
 * </ul>
 *
 * A missing value changes nothing. Not thread safe: the engine owns it.
 */
final class RuleState {
    /** What a step did that notifiers hear about. */
    enum Transition {
        NONE,
        FIRED,
        RESOLVED
    }

    private ActiveAlert.State state;
    private Instant breachStart;
    private Instant firedAt;
    private Double value;

    /** Feeds one value observed at {@code now}. */
    Transition step(AlertRuleConfig rule, Double observed, Instant now) {
        if (observed == null || observed.isNaN()) {
            return Transition.NONE;
        }
        value = observed;
        boolean breached = rule.op().test(observed, rule.threshold());
        if (state == null) {
            if (!breached) {
                return Transition.NONE;
            }
            state = ActiveAlert.State.PENDING;
            breachStart = now;
        } else if (state == ActiveAlert.State.PENDING) {
            if (!breached) {
                state = null;
                return Transition.NONE;
            }
        } else {
            double level = rule.op().resolveLevel(rule.threshold(), rule.hysteresis());
            if (!rule.op().test(observed, level)) {
                state = null;
                return Transition.RESOLVED;
            }
            return Transition.NONE;
        }
        if (Duration.between(breachStart, now).compareTo(rule.forDuration()) >= 0) {
            state = ActiveAlert.State.FIRING;
            firedAt = now;
            return Transition.FIRED;
        }
        return Transition.NONE;
    }

    /** Pending, firing, or null when inactive. */
    ActiveAlert.State state() {
        return state;
    }

    /** When the latest breach began. */
    Instant breachStart() {
        return breachStart;
    }

    /** When the rule last fired. */
    Instant firedAt() {
        return firedAt;
    }

    /** What an {@link ActiveAlert} shows: the breach start while pending, the firing time once firing. */
    Instant since() {
        return state == ActiveAlert.State.FIRING ? firedAt : breachStart;
    }

    /** The latest value fed. */
    Double value() {
        return value;
    }
}
