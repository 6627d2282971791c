package io.dlstation.bench;

import java.util.Locale;

/** The Markdown (and terminal) table of a sweep's points. */
public final class SummaryTable {
    private SummaryTable() {}

    /** summary.md: a heading, the machine, the table. */
    static String markdown(BenchReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# dlstation bench ").append(report.kind()).append(": ").append(report.model()).append("\n\n");
        if (report.machine() != null && !report.machine().gpus().isEmpty()) {
            md.append("GPU: ").append(report.machine().gpus().get(0).name()).append(", driver ")
                    .append(report.machine().driverVersion()).append("; ");
        }
        if (report.machine() != null && report.machine().engine() != null) {
            var e = report.machine().engine();
            md.append("engine: PyTorch ").append(e.version()).append(" (").append(e.flavor()).append("), DJL ")
                    .append(e.djlVersion()).append("\n\n");
        }
        md.append("Command: `").append(String.join(" ", report.command())).append("`\n\n");
        md.append(table(report));
        if (report.maxBatch() != null && !report.maxBatch().isEmpty()) {
            md.append("\nLargest batch that fits: ");
            report.maxBatch().forEach((precision, r) -> md.append(precision).append(' ').append(r.maxBatch()).append("; "));
            md.append('\n');
        }
        return md.toString();
    }

    /** The points as a Markdown table. */
    public static String table(BenchReport report) {
        boolean infer = "infer".equals(report.kind());
        StringBuilder t = new StringBuilder();
        t.append(infer
                ? "| precision | batch | seq | mean ms | p50 ms | p90 ms | p99 ms | samples/s | peak memory MiB |\n"
                        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                : "| precision | batch | seq | step ms | host ms | samples/s | peak memory MiB |\n"
                        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (BenchPoint p : report.points()) {
            String seq = p.seqLength() == null ? "" : p.seqLength().toString();
            if (p.oom()) {
                t.append(String.format(Locale.ROOT, "| %s | %d | %s | OOM |%s%n", p.precision(), p.batchSize(), seq,
                        infer ? " | | | | |" : " | | |"));
            } else if (infer) {
                t.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %.2f | %.2f | %.2f | %.1f | %s |%n",
                        p.precision(), p.batchSize(), seq, p.stepMs(), p.p50Ms(), p.p90Ms(), p.p99Ms(), p.samplesPerS(),
                        memory(p)));
            } else {
                // data parallel: the batch per device times the devices; samples/s counts every device
                String batch = p.devices() > 1 ? p.batchSize() + " x " + p.devices() : Integer.toString(p.batchSize());
                t.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.1f | %s |%n", p.precision(),
                        batch, seq, p.stepMs(), p.hostMs(), p.samplesPerS(), memory(p)));
            }
        }
        return t.toString();
    }

    /** NVML's peak, with the allocator's peak of tensor memory beside it where there is one. */
    private static String memory(BenchPoint p) {
        return p.peakAllocatedBytes() == null ? mib(p.peakMemoryBytes())
                : mib(p.peakMemoryBytes()) + " (tensors " + mib(p.peakAllocatedBytes()) + ")";
    }

    private static String mib(Long bytes) {
        return bytes == null || bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }
}
