package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.config.AlertRuleConfig;
import io.dlstation.error.DlstationException;
import io.dlstation.time.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log file: JSON lines, rotation by size or by day, N old files kept. */
class RotatingLogTest {
    @TempDir
    Path tmp;

    private final ManualClock clock = new ManualClock(Instant.parse("2025-06-01T21:00:00Z"), ZoneId.of("Europe/Berlin"));

    @Test
    void rotatesBySizeAndKeepsTheNewestFiles() throws IOException {
        Path file = tmp.resolve("logs/monitor.log");
        String line = "x".repeat(299); // 300 bytes with the newline
        try (RotatingLog log = RotatingLog.open(file, new LogRotation(1024, false, 2), clock)) {
            for (int i = 0; i < 10; i++) {
                log.append(i + line.substring(1));
            }
        }
        assertThat(Files.readAllLines(file)).extracting(l -> l.charAt(0)).containsExactly('9');
        assertThat(Files.readAllLines(tmp.resolve("logs/monitor.log.1"))).extracting(l -> l.charAt(0))
                .containsExactly('6', '7', '8');
        assertThat(Files.readAllLines(tmp.resolve("logs/monitor.log.2"))).extracting(l -> l.charAt(0))
                .containsExactly('3', '4', '5');
        assertThat(tmp.resolve("logs/monitor.log.3")).doesNotExist();
        assertThat(Files.size(file)).isLessThanOrEqualTo(1024);
    }

    @Test
    void rotatesAtLocalMidnightWhenDaily() throws IOException {
        Path file = tmp.resolve("monitor.log");
        try (RotatingLog log = RotatingLog.open(file, new LogRotation(1024, true, 1), clock)) {
            log.append("sunday 1");
            clock.advance(Duration.ofMinutes(59)); // 23:59 in Berlin (UTC+2)
            log.append("sunday 2");
            clock.advance(Duration.ofMinutes(2)); // Monday 00:01 in Berlin
            log.append("monday 1");
            clock.advance(Duration.ofDays(1));
            log.append("tuesday 1");
        }
        assertThat(Files.readAllLines(file)).containsExactly("tuesday 1");
        assertThat(Files.readAllLines(tmp.resolve("monitor.log.1"))).containsExactly("monday 1");
        assertThat(tmp.resolve("monitor.log.2")).doesNotExist();
    }

    @Test
    void appendsToAnExistingFileAndKeepZeroTruncates() throws IOException {
        Path file = tmp.resolve("monitor.log");
        Files.writeString(file, "old\n");
        try (RotatingLog log = RotatingLog.open(file, new LogRotation(1024, false, 0), clock)) {
            log.append("new");
            log.append("y".repeat(1100));
        }
        assertThat(Files.readAllLines(file)).containsExactly("y".repeat(1100));
        assertThat(tmp.resolve("monitor.log.1")).doesNotExist();
    }

    @Test
    void snapshotsAndAlertsShareTheLogAsJsonLines() throws IOException {
        Path file = tmp.resolve("monitor.log");
        MonitorSnapshot snapshot = Snapshots.of(clock.instant(), FakeHostTelemetry.host(50), Snapshots.gpuAt(0, 70));
        RotatingLog log = RotatingLog.open(file, LogRotation.defaults(), clock);
        new LogNotifier(log).send(AlertEvent.of(AlertEvent.Status.FIRING, AlertRuleConfig.defaults().get(0), "gpu0",
                "box01", 0, "GPU-1", "NVIDIA H100", 90.0, clock.instant(), clock.instant(), false));
        try (LogSink sink = new LogSink(log)) {
            sink.accept(snapshot);
        }
        List<String> lines = Files.readAllLines(file);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(lines.get(0)).at("/alert/rule").asText()).isEqualTo("gpu_temperature_high");
        assertThat(json.readTree(lines.get(0)).at("/alert/status").asText()).isEqualTo("firing");
        assertThat(json.readTree(lines.get(1)).at("/schema").asInt()).isEqualTo(1);
        assertThat(json.readTree(lines.get(1)).at("/gpus/0/temperatureCelsius").asInt()).isEqualTo(70);
    }

    @Test
    void badSizesAndUnwritablePlacesAreUserErrors() throws IOException {
        assertThat(LogRotation.parseSize("10MB", "--log-max-size")).isEqualTo(10L << 20);
        assertThat(LogRotation.parseSize("512kb", "--log-max-size")).isEqualTo(512L << 10);
        assertThat(LogRotation.parseSize("2048", "--log-max-size")).isEqualTo(2048);
        assertThatThrownBy(() -> LogRotation.parseSize("lots", "--log-max-size"))
                .isInstanceOf(DlstationException.class).hasMessageContaining("--log-max-size 'lots' is not a size");
        assertThatThrownBy(() -> new LogRotation(10, false, 1)).hasMessageContaining("--log-max-size");
        assertThatThrownBy(() -> new LogRotation(1 << 20, false, -1)).hasMessageContaining("--log-keep -1");
        Path aFile = Files.writeString(tmp.resolve("plain"), "x");
        assertThatThrownBy(() -> RotatingLog.open(aFile.resolve("monitor.log"), LogRotation.defaults(), clock))
                .isInstanceOf(DlstationException.class).hasMessageContaining("--log " + aFile.resolve("monitor.log"))
                .hasMessageContaining("cannot be written");
    }
}
