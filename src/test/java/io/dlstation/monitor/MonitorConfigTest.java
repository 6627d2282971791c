package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.config.AlertMetric;
import io.dlstation.config.AlertRuleConfig;
import io.dlstation.config.ConfigLoader;
import io.dlstation.config.DlstationConfig;
import io.dlstation.config.DurationText;
import io.dlstation.config.MonitorConfig;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code monitor:} section of dlstation.yaml: strict, snake_case, errors naming file, line and field. */
class MonitorConfigTest {
    @TempDir
    Path tmp;

    private DlstationConfig read(String yaml) throws IOException {
        return ConfigLoader.read(Files.writeString(tmp.resolve("dlstation.yaml"), yaml));
    }

    private void assertRefused(String yaml, String... fragments) {
        assertThatThrownBy(() -> read(yaml))
                .isInstanceOf(DlstationException.class)
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContainingAll(fragments)
                .hasMessageNotContaining("java.")
                .hasMessageNotContaining("io.dlstation");
    }

    @Test
    void noSectionMeansTheSeedsFourRulesWithDurationAndHysteresis() throws IOException {
        MonitorConfig monitor = read("engine:\n  device: cpu\n").monitor();
        assertThat(monitor.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(monitor.notifiers().stderr()).isTrue();
        assertThat(monitor.notifiers().log()).isTrue();
        assertThat(monitor.notifiers().webhook()).isNull();
        assertThat(monitor.rules()).extracting(AlertRuleConfig::name)
                .containsExactly("gpu_temperature_high", "gpu_utilization_low", "gpu_memory_high", "host_memory_high");
        assertThat(monitor.rules()).extracting(r -> r.metric() + " " + r.op() + " " + AlertRuleConfig.number(r.threshold()))
                .containsExactly("gpu_temperature_celsius > 85", "gpu_utilization_percent < 10",
                        "gpu_memory_used_percent > 95", "host_memory_used_percent > 90");
        assertThat(monitor.rules()).allSatisfy(r -> {
            assertThat(r.forDuration()).isEqualTo(Duration.ofMinutes(1));
            assertThat(r.hysteresis()).isPositive();
        });
        assertThat(DlstationConfig.defaults().monitor()).isEqualTo(monitor);
    }

    @Test
    void readsRulesNotifiersAndInterval() throws IOException {
        MonitorConfig monitor = read("""
                monitor:
                  interval: 2s
                  rules:
                    - name: hot
                      metric: gpu_temperature_celsius
                      op: ">="
                      threshold: 80
                      for: 30s
                      severity: critical
                      hysteresis: 4
                      gpus: [1]
                    - metric: host_swap_used_percent
                      op: gt
                      threshold: 50.5
                  notifiers:
                    stderr: false
                    webhook:
                      url: https://hooks.example.com/gpu
                      timeout: 3s
                      max_attempts: 3
                      queue_capacity: 10
                """).monitor();
        assertThat(monitor.interval()).isEqualTo(Duration.ofSeconds(2));
        AlertRuleConfig hot = monitor.rules().get(0);
        assertThat(hot.name()).isEqualTo("hot");
        assertThat(hot.op()).isEqualTo(AlertRuleConfig.Op.GE);
        assertThat(hot.forDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(hot.severity()).isEqualTo(AlertRuleConfig.Severity.CRITICAL);
        assertThat(hot.hysteresis()).isEqualTo(4.0);
        assertThat(hot.gpus()).containsExactly(1);
        assertThat(hot.watchesGpu(1)).isTrue();
        assertThat(hot.watchesGpu(0)).isFalse();
        AlertRuleConfig swap = monitor.rules().get(1);
        assertThat(swap.name()).isEqualTo("host_swap_used_percent > 50.5");
        assertThat(swap.forDuration()).isEqualTo(AlertRuleConfig.DEFAULT_FOR);
        assertThat(swap.severity()).isEqualTo(AlertRuleConfig.Severity.WARNING);
        assertThat(swap.hysteresis()).isEqualTo(AlertMetric.HOST_SWAP_USED_PERCENT.defaultHysteresis());
        assertThat(monitor.notifiers().stderr()).isFalse();
        assertThat(monitor.notifiers().log()).isTrue();
        assertThat(monitor.notifiers().webhook().uri().toString()).isEqualTo("https://hooks.example.com/gpu");
        assertThat(monitor.notifiers().webhook().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(monitor.notifiers().webhook().maxAttempts()).isEqualTo(3);
        assertThat(monitor.notifiers().webhook().queueCapacity()).isEqualTo(10);
    }

    @Test
    void anEmptyRuleListTurnsAlertsOff() throws IOException {
        assertThat(read("monitor:\n  rules: []\n").monitor().rules()).isEmpty();
    }

    @Test
    void anUnknownMetricNamesLineFieldAndTheKnownMetrics() {
        assertRefused("monitor:\n  rules:\n    - metric: gpu_temp\n      op: \">\"\n      threshold: 85\n",
                "line 3", "field 'monitor.rules[0].metric'", "unknown metric 'gpu_temp'", "gpu_temperature_celsius",
                "host_memory_used_percent");
    }

    @Test
    void anUnknownOpNamesTheFieldAndTheAcceptedOnes() {
        assertRefused("monitor:\n  rules:\n    - metric: gpu_utilization_percent\n      op: \"=<\"\n      threshold: 10\n",
                "line 4", "field 'monitor.rules[0].op'", "unknown op '=<'", "\">=\"", "gt, ge, lt, le");
    }

    @Test
    void missingOrBadRuleFieldsAreNamed() {
        assertRefused("monitor:\n  rules:\n    - metric: gpu_utilization_percent\n      threshold: 10\n",
                "monitor.rules[0]", "op is required");
        assertRefused("monitor:\n  rules:\n    - metric: gpu_utilization_percent\n      op: lt\n      threshold: 10\n"
                + "      for: soon\n", "line 6", "'monitor.rules[0].for'", "'soon' is not a duration", "500ms, 5s, 1m");
        assertRefused("monitor:\n  rules:\n    - metric: gpu_utilization_percent\n      op: lt\n      threshold: 10\n"
                + "      severity: loud\n", "'monitor.rules[0].severity'", "use info, warning or critical");
        assertRefused("monitor:\n  rules:\n    - metric: host_memory_used_percent\n      op: gt\n      threshold: 90\n"
                + "      gpus: [0]\n", "monitor.rules[0]", "host metric", "remove gpus");
        assertRefused("monitor:\n  rules:\n    - metric: host_memory_used_percent\n      op: gt\n      threshold: 90\n"
                + "      thresold: 3\n", "line 6", "unknown field 'monitor.rules[0].thresold'", "threshold");
        assertRefused("monitor:\n  rules:\n    - {metric: host_memory_used_percent, op: gt, threshold: 90}\n"
                + "    - {metric: host_memory_used_percent, op: gt, threshold: 90}\n",
                "two rules are named 'host_memory_used_percent > 90'");
    }

    @Test
    void aNegativeIntervalIsRefused() {
        assertRefused("monitor:\n  interval: -5s\n", "line 2", "field 'monitor.interval'", "-5s must be positive");
        assertRefused("monitor:\n  interval: 0s\n", "field 'monitor.interval'", "must be positive");
    }

    @Test
    void aWebhookUrlMustBeHttpOrHttps() {
        assertRefused("monitor:\n  notifiers:\n    webhook:\n      url: ftp://hooks.example.com/x\n",
                "monitor.notifiers.webhook", "url 'ftp://hooks.example.com/x' is not an http(s) URL");
        assertRefused("monitor:\n  notifiers:\n    webhook:\n      url: hooks.example.com\n",
                "monitor.notifiers.webhook", "not an http(s) URL");
        assertRefused("monitor:\n  notifiers:\n    webhook:\n      timeout: 5s\n",
                "monitor.notifiers.webhook", "url is required");
    }

    @Test
    void durationsReadAndPrintInTheirShortForm() {
        assertThat(DurationText.parse("500ms", "x")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse(" 1.5s", "x")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("2h", "x")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("-3s", "x")).isEqualTo(Duration.ofSeconds(-3));
        assertThat(DurationText.format(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationText.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThatThrownBy(() -> DurationText.parse("5", "--interval")).hasMessageContaining("--interval '5' is not a duration");
    }

    @Test
    void everyMetricNameParsesBack() {
        for (AlertMetric m : AlertMetric.values()) {
            assertThat(AlertMetric.parse(m.text())).isEqualTo(m);
        }
        assertThat(List.of(AlertRuleConfig.Op.values())).allSatisfy(op -> assertThat(AlertRuleConfig.Op.parse(op.toString())).isEqualTo(op));
    }
}
