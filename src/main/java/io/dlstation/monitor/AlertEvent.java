package io.dlstation.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.dlstation.config.AlertMetric;
import io.dlstation.config.AlertRuleConfig;
import io.dlstation.config.DurationText;
import java.time.Instant;
import java.util.Locale;

/**
 * A rule started firing, or resolved: what every notifier receives, and the JSON a webhook is sent.
 *
 * @param subject {@code gpu0}, {@code gpu1}, ... or {@code host}
 * @param gpu the GPU index; null for host rules
 * @param value the value that made the transition; null in a test event when there is no sample
 * @param since when the breach began (for resolved events: when the rule fired)
 * @param time when the transition happened
 * @param test true for the events of {@code --alerts-test}
 */
@JsonPropertyOrder({"schema", "status", "rule", "severity", "subject", "hostname", "gpu", "gpuUuid", "gpuName",
    "metric", "op", "threshold", "value", "for", "since", "time", "test", "summary"})
public record AlertEvent(
        Status status,
        String rule,
        AlertRuleConfig.Severity severity,
        String subject,
        String hostname,
        Integer gpu,
        String gpuUuid,
        String gpuName,
        AlertMetric metric,
        AlertRuleConfig.Op op,
        double threshold,
        Double value,
        @JsonProperty("for") String forDuration,
        @JsonSerialize(using = ToStringSerializer.class) Instant since,
        @JsonSerialize(using = ToStringSerializer.class) Instant time,
        boolean test) {

    /** Whether a rule started or stopped firing. */
    public enum Status {
        FIRING,
        RESOLVED;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An event for {@code rule} with the rule's own fields filled in. */
    static AlertEvent of(Status status, AlertRuleConfig rule, String subject, String hostname, Integer gpu,
            String gpuUuid, String gpuName, Double value, Instant since, Instant time, boolean test) {
        return new AlertEvent(status, rule.name(), rule.severity(), subject, hostname, gpu, gpuUuid, gpuName,
                rule.metric(), rule.op(), rule.threshold(), value, DurationText.format(rule.forDuration()), since, time,
                test);
    }

    /** The JSON schema version. */
    @JsonProperty("schema")
    public int schema() {
        return MonitorSnapshot.SCHEMA;
    }

    /**
     * One line for people: {@code FIRING critical gpu_temperature_high on box gpu0 (NVIDIA H100):
     * gpu_temperature_celsius 87 > 85 for 1m}.
     */
    @JsonProperty("summary")
    public String summary() {
        StringBuilder s = new StringBuilder();
        if (test) {
            s.append("TEST ");
        }
        s.append(status.name()).append(' ').append(severity).append(' ').append(rule).append(" on ")
                .append(hostname == null ? "unknown host" : hostname).append(' ').append(subject);
        if (gpuName != null) {
            s.append(" (").append(gpuName).append(')');
        }
        s.append(": ").append(metric).append(' ');
        if (test) {
            return s.append(op).append(' ').append(AlertRuleConfig.number(threshold))
                    .append(" (a test event, not a reading)").toString();
        }
        s.append(value == null ? "n/a" : AlertRuleConfig.number(Math.round(value * 100) / 100.0))
                .append(status == Status.FIRING ? " " + op + " " : " back past ").append(AlertRuleConfig.number(threshold));
        if (status == Status.FIRING) {
            s.append(" for ").append(forDuration);
        }
        return s.toString();
    }
}
