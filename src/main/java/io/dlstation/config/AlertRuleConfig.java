package io.dlstation.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.dlstation.error.DlstationException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One alert rule of {@code monitor.rules}: the rule is breached while {@code metric op threshold}
 * holds, fires once it has held for {@code for}, and resolves only when the value is back past the
 * threshold by {@code hysteresis}, so a value hovering at the threshold does not flap.
 *
 * @param name unique among the rules; default {@code "metric op threshold"}
 * @param forDuration how long the breach must last before the rule fires ({@code for:}, default 1m)
 * @param severity info, warning (default) or critical
 * @param hysteresis how far back past the threshold the value must go to resolve, in the metric's unit
 *     (default: {@link AlertMetric#defaultHysteresis()})
 * @param gpus the GPU indices a GPU rule watches; null for every GPU; not allowed on host metrics
 */
public record AlertRuleConfig(
        String name,
        AlertMetric metric,
        Op op,
        Double threshold,
        @JsonProperty("for") @JsonDeserialize(using = DurationText.NonNegative.class) Duration forDuration,
        Severity severity,
        Double hysteresis,
        List<Integer> gpus) {

    /** The duration a rule must be breached before it fires when it does not say. */
    public static final Duration DEFAULT_FOR = Duration.ofMinutes(1);

    public AlertRuleConfig {
        if (metric == null) {
            throw DlstationException.badInput("metric is required; use one of: " + AlertMetric.names());
        }
        if (op == null) {
            throw DlstationException.badInput("op is required; use one of: " + Op.names());
        }
        if (threshold == null || !Double.isFinite(threshold)) {
            throw DlstationException.badInput("threshold is required and must be a number");
        }
        forDuration = forDuration == null ? DEFAULT_FOR : forDuration;
        if (forDuration.isNegative()) {
            throw DlstationException.badInput("for " + DurationText.format(forDuration) + " is negative; use 0s or more");
        }
        severity = severity == null ? Severity.WARNING : severity;
        hysteresis = hysteresis == null ? metric.defaultHysteresis() : hysteresis;
        if (!(hysteresis >= 0) || !Double.isFinite(hysteresis)) {
            throw DlstationException.badInput("hysteresis " + hysteresis + " must be 0 or more");
        }
        if (gpus != null) {
            if (!metric.perGpu()) {
                throw DlstationException.badInput("gpus: " + metric + " is a host metric; remove gpus from this rule");
            }
            for (Integer gpu : gpus) {
                if (gpu == null || gpu < 0) {
                    throw DlstationException.badInput("gpus: " + gpu + " is not a GPU index; use 0, 1, ...");
                }
            }
            gpus = List.copyOf(gpus);
        }
        name = name == null ? metric + " " + op + " " + number(threshold) : name.strip();
        if (name.isEmpty()) {
            throw DlstationException.badInput("name is blank; leave it out or give the rule a name");
        }
    }

    /** Whether this rule watches the GPU with the given index. */
    public boolean watchesGpu(int index) {
        return metric.perGpu() && (gpus == null || gpus.contains(index));
    }

    /** The rules dlstation ships: the seed's four alerts, each with {@code for: 1m} and hysteresis. */
    public static List<AlertRuleConfig> defaults() {
        return List.of(
                new AlertRuleConfig("gpu_temperature_high", AlertMetric.GPU_TEMPERATURE_CELSIUS, Op.GT, 85.0,
                        DEFAULT_FOR, Severity.CRITICAL, 3.0, null),
                new AlertRuleConfig("gpu_utilization_low", AlertMetric.GPU_UTILIZATION_PERCENT, Op.LT, 10.0,
                        DEFAULT_FOR, Severity.INFO, 5.0, null),
                new AlertRuleConfig("gpu_memory_high", AlertMetric.GPU_MEMORY_USED_PERCENT, Op.GT, 95.0,
                        DEFAULT_FOR, Severity.WARNING, 2.0, null),
                new AlertRuleConfig("host_memory_high", AlertMetric.HOST_MEMORY_USED_PERCENT, Op.GT, 90.0,
                        DEFAULT_FOR, Severity.WARNING, 2.0, null));
    }

    /** 85.0 as "85", 0.5 as "0.5". */
    public static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** How a rule compares the value with its threshold. */
    public enum Op {
        GT(">", "gt"),
        GE(">=", "ge"),
        LT("<", "lt"),
        LE("<=", "le");

        private final String symbol;
        private final String word;

        Op(String symbol, String word) {
            this.symbol = symbol;
            this.word = word;
        }

        /** Whether {@code value op threshold} holds. */
        public boolean test(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
            };
        }

        /**
         * The level the value must cross back over to resolve: the threshold moved by the hysteresis
         * away from the breach (below it for {@code >}, above it for {@code <}).
         */
        public double resolveLevel(double threshold, double hysteresis) {
            return this == GT || this == GE ? threshold - hysteresis : threshold + hysteresis;
        }

        @JsonValue
        @Override
        public String toString() {
            return symbol;
        }

        @JsonCreator
        public static Op parse(String text) {
            for (Op op : values()) {
                if (op.symbol.equals(text) || op.word.equals(text)) {
                    return op;
                }
            }
            throw DlstationException.badInput("unknown op '" + text + "'; use one of: " + names()
                    + " (quote the symbols in YAML: op: \">\")");
        }

        static String names() {
            return "\">\", \">=\", \"<\", \"<=\" (or gt, ge, lt, le)";
        }
    }

    /** How urgent a firing rule is. */
    public enum Severity {
        INFO,
        WARNING,
        CRITICAL;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Severity parse(String text) {
            for (Severity s : values()) {
                if (s.toString().equals(text)) {
                    return s;
                }
            }
            throw DlstationException.badInput("unknown severity '" + text + "'; use info, warning or critical");
        }
    }
}
