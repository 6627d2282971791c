package io.dlstation.info;

import io.dlstation.engine.EngineReport;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuMemory;
import io.dlstation.gpu.GpuProcess;
import io.dlstation.host.HostInfo;
import java.util.Locale;

/** Renders a {@link MachineReport} as the human-readable table {@code dlstation info} prints. */
public final class MachineReportTable {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final String NA = "n/a";

    private MachineReportTable() {}

    /** The report as lines of text, ending in a newline. */
    public static String render(MachineReport report) {
        StringBuilder out = new StringBuilder();
        HostInfo host = report.host();
        row(out, "Host", join(host.hostname(), host.os(), host.kernel() == null ? null : "kernel " + host.kernel(),
                host.arch()));
        row(out, "CPU", join(host.cpuModel(), host.cores() == null ? null : host.cores() + " threads"
                + (host.physicalCores() == null ? "" : " (" + host.physicalCores() + " cores)")));
        row(out, "Memory", host.memoryBytes() == null ? NA : gib(host.memoryBytes()) + " GiB");
        row(out, "Java", report.jvm().version() + " (" + report.jvm().vendor() + ")");
        EngineReport engine = report.engine();
        if (engine == null) {
            row(out, "Engine", "not started (see warnings)");
        } else {
            row(out, "Engine", engine.name() + " " + engine.version() + " (" + engine.flavor() + ") from "
                    + engine.source().description() + ", DJL " + engine.djlVersion());
            row(out, "", "libtorch " + engine.libtorchPath());
            row(out, "", "GPUs " + engine.gpuCount() + ", CUDA " + yesNo(engine.cuda()) + ", cuDNN "
                    + yesNo(engine.cudnn()) + ", default device " + engine.defaultDevice());
        }
        row(out, "Driver", report.driverVersion() == null ? "none (" + report.nvmlError() + ")"
                : report.driverVersion() + " (CUDA " + report.cudaDriverVersion() + ")");
        if (!report.gpus().isEmpty()) {
            out.append('\n');
            out.append(String.format(Locale.ROOT, "%-3s %-24s %-22s %-5s %-6s %-13s %-15s %-9s %-4s %s%n",
                    "GPU", "Name", "Memory used/total", "Util", "Temp", "Power/limit", "SM clock (max)", "Mem clock",
                    "CC", "Clocks events"));
            for (GpuDevice gpu : report.gpus()) {
                out.append(String.format(Locale.ROOT, "%-3d %-24s %-22s %-5s %-6s %-13s %-15s %-9s %-4s %s%n",
                        gpu.index(), orNa(gpu.name()), memory(gpu.memory()), unit(gpu.utilizationGpuPercent(), "%"),
                        unit(gpu.temperatureCelsius(), "C"), power(gpu), clock(gpu.smClockMhz(), gpu.maxSmClockMhz()),
                        unit(gpu.memoryClockMhz(), " MHz"), orNa(gpu.computeCapability()),
                        gpu.clocksEventReasonNames().isEmpty() ? "none" : String.join(",", gpu.clocksEventReasonNames())));
            }
            boolean anyProcess = report.gpus().stream().anyMatch(g -> !g.processes().isEmpty());
            if (anyProcess) {
                out.append('\n').append(String.format(Locale.ROOT, "%-3s %-8s %-10s %s%n", "GPU", "PID", "Memory",
                        "Command"));
                for (GpuDevice gpu : report.gpus()) {
                    for (GpuProcess p : gpu.processes()) {
                        out.append(String.format(Locale.ROOT, "%-3d %-8d %-10s %s%n", gpu.index(), p.pid(),
                                p.usedBytes() == null ? NA : p.usedBytes() / (1L << 20) + " MiB", orNa(p.command())));
                    }
                }
            }
        }
        if (!report.warnings().isEmpty()) {
            out.append("\nWarnings\n");
            for (String w : report.warnings()) {
                out.append(" - ").append(w).append('\n');
            }
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-8s %s%n", label, value));
    }

    private static String join(String... parts) {
        StringBuilder s = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                if (!s.isEmpty()) {
                    s.append("  ");
                }
                s.append(p);
            }
        }
        return s.isEmpty() ? NA : s.toString();
    }

    private static String memory(GpuMemory m) {
        if (m == null) {
            return NA;
        }
        return String.format(Locale.ROOT, "%s/%s GiB (%.0f%%)", gib(m.usedBytes()), gib(m.totalBytes()), m.usedPercent());
    }

    private static String power(GpuDevice gpu) {
        if (gpu.powerWatts() == null) {
            return NA;
        }
        return String.format(Locale.ROOT, "%.0f/%s W", gpu.powerWatts(),
                gpu.powerLimitWatts() == null ? "?" : String.format(Locale.ROOT, "%.0f", gpu.powerLimitWatts()));
    }

    private static String clock(Integer now, Integer max) {
        return now == null ? NA : now + (max == null ? "" : " (" + max + ")") + " MHz";
    }

    private static String unit(Integer value, String unit) {
        return value == null ? NA : value + unit;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / GIB);
    }

    private static String orNa(String s) {
        return s == null ? NA : s;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
