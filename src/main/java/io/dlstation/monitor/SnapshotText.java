package io.dlstation.monitor;

import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuMemory;
import io.dlstation.gpu.GpuProcess;
import io.dlstation.host.HostMetrics;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A snapshot as lines of text, in the manner of gpustat: a header, the host, one line per GPU with
 * bars, its processes below it, then the alerts that are pending or firing. Each line carries a
 * {@link Style} the live view turns into a colour; missing values show as {@code --}.
 */
final class SnapshotText {
    /** How the live view colours a line. */
    enum Style {
        PLAIN,
        HEADER,
        DIM,
        WARN,
        ALERT
    }

    /** One line of the view. */
    record Line(String text, Style style) {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String LEVELS = "_.:-=+*#%@";
    private static final int BAR = 10;

    private SnapshotText() {}

    /** The view of {@code snapshot} with {@code active} alerts and the {@code recent} events below. */
    static List<Line> render(MonitorSnapshot snapshot, List<ActiveAlert> active, List<AlertEvent> recent, ZoneId zone) {
        List<Line> lines = new ArrayList<>();
        String driver = snapshot.driverVersion() == null ? "" : "  driver " + snapshot.driverVersion()
                + (snapshot.cudaDriverVersion() == null ? "" : "  CUDA " + snapshot.cudaDriverVersion());
        lines.add(new Line(snapshot.hostname() + "  " + TIME.format(snapshot.time().atZone(zone)) + driver,
                Style.HEADER));
        host(lines, snapshot.host());
        if (snapshot.gpus().isEmpty()) {
            lines.add(new Line("no GPU: " + (snapshot.gpuProblem() == null ? "NVML lists none" : snapshot.gpuProblem()),
                    Style.WARN));
        }
        for (GpuDevice gpu : snapshot.gpus()) {
            gpu(lines, gpu);
        }
        for (ActiveAlert a : active) {
            String since = a.since() == null ? "" : " since " + TIME.format(a.since().atZone(zone)).substring(11)
                    + " (" + ago(Duration.between(a.since(), snapshot.time())) + ")";
            lines.add(new Line(a.state().toString().toUpperCase(Locale.ROOT) + " " + a.severity() + " " + a.rule()
                    + " " + a.subject() + " = " + number(a.value()) + since,
                    a.state() == ActiveAlert.State.FIRING ? Style.ALERT : Style.WARN));
        }
        for (AlertEvent e : recent) {
            lines.add(new Line(TIME.format(e.time().atZone(zone)).substring(11) + " " + e.summary(), Style.DIM));
        }
        return lines;
    }

    private static void host(List<Line> lines, HostMetrics h) {
        String cpu = String.format(Locale.ROOT, "CPU %s %s %s  %s  load %s %s %s", percent(h.cpuUtilizationPercent()),
                bar(h.cpuUtilizationPercent()), ghz(h.cpuFrequencyMhz()), celsius(h.cpuTemperatureCelsius()),
                number(h.loadAverage1m()), number(h.loadAverage5m()), number(h.loadAverage15m()));
        lines.add(new Line(cpu, Style.PLAIN));
        if (!h.coreUtilizationPercent().isEmpty()) {
            StringBuilder cores = new StringBuilder("    cores [");
            for (Double load : h.coreUtilizationPercent()) {
                cores.append(load == null ? '?' : LEVELS.charAt((int) Math.min(9, Math.round(load / 100 * 9))));
            }
            lines.add(new Line(cores.append(']').toString(), Style.DIM));
        }
        String mem = String.format(Locale.ROOT, "MEM %s %s %s  SWAP %s", percent(h.memoryUsedPercent()),
                bar(h.memoryUsedPercent()), gib(h.memoryUsedBytes(), h.memoryTotalBytes()),
                gib(h.swapUsedBytes(), h.swapTotalBytes()));
        Double used = h.memoryUsedPercent();
        lines.add(new Line(mem, used != null && used > 90 ? Style.WARN : Style.PLAIN));
    }

    private static void gpu(List<Line> lines, GpuDevice g) {
        GpuMemory m = g.memory();
        Double memPercent = m == null || m.totalBytes() <= 0 ? null : m.usedPercent();
        Double util = g.utilizationGpuPercent() == null ? null : g.utilizationGpuPercent().doubleValue();
        String power = (g.powerWatts() == null ? "--" : String.format(Locale.ROOT, "%.0f", g.powerWatts())) + " / "
                + (g.powerLimitWatts() == null ? "--" : String.format(Locale.ROOT, "%.0f", g.powerLimitWatts())) + " W";
        String text = String.format(Locale.ROOT, "[%d] %-24s %5s  %11s  UTIL %s %s  MEM %s %s  SM %s  MEM %s  %s",
                g.index(), g.name() == null ? "--" : g.name(), celsius(number(g.temperatureCelsius())), power,
                percent(util), bar(util), bar(memPercent),
                m == null ? "--" : gib(m.usedBytes(), m.totalBytes()), mhz(g.smClockMhz()), mhz(g.memoryClockMhz()),
                String.join(",", g.clocksEventReasonNames()));
        boolean hot = g.temperatureCelsius() != null && g.temperatureCelsius() > 85;
        boolean full = memPercent != null && memPercent > 95;
        lines.add(new Line(text.stripTrailing(), hot || full ? Style.WARN : Style.PLAIN));
        for (GpuProcess p : g.processes()) {
            String used = p.usedBytes() == null ? "   --   " : String.format(Locale.ROOT, "%8s", gibShort(p.usedBytes()));
            lines.add(new Line(String.format(Locale.ROOT, "    %7d %s  %s", p.pid(), used,
                    p.command() == null ? "?" : p.command()), Style.DIM));
        }
    }

    /** {@code [|||||     ]}, ten cells; blank cells when unknown. */
    static String bar(Double percent) {
        if (percent == null) {
            return "[" + "?".repeat(BAR) + "]";
        }
        int filled = (int) Math.round(Math.max(0, Math.min(100, percent)) / 100 * BAR);
        return "[" + "|".repeat(filled) + " ".repeat(BAR - filled) + "]";
    }

    private static String percent(Double value) {
        return value == null ? " --%" : String.format(Locale.ROOT, "%3.0f%%", value);
    }

    private static String celsius(Double value) {
        return value == null ? "--C" : String.format(Locale.ROOT, "%.0fC", value);
    }

    private static String ghz(Double mhz) {
        return mhz == null ? "-- GHz" : String.format(Locale.ROOT, "%.2f GHz", mhz / 1000);
    }

    private static String mhz(Integer value) {
        return value == null ? "-- MHz" : value + " MHz";
    }

    private static String gib(Long used, Long total) {
        if (used == null || total == null) {
            return "--";
        }
        return String.format(Locale.ROOT, "%.1f/%.1f GiB", used / 1073741824.0, total / 1073741824.0);
    }

    private static String gibShort(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / 1073741824.0)
                : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }

    private static Double number(Integer value) {
        return value == null ? null : value.doubleValue();
    }

    private static String number(Double value) {
        return value == null ? "--" : String.format(Locale.ROOT, "%.2f", value).replaceAll("\\.?0+$", "");
    }

    private static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }
}
