package io.dlstation.bench;

import io.dlstation.error.DlstationException;
import io.dlstation.error.InternalNames;
import io.dlstation.files.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code dlstation bench compare}: the local measured points beside a reference table, as Markdown and
 * a bar chart.
 */
public final class Comparison {
    /** One row of the comparison: measured here, or from the reference. */
    public record Entry(String gpu, String workload, String precision, String batch, double samplesPerS, String source) {}

    private Comparison() {}

    /** Reads a results.json written by {@code bench train} or {@code bench infer}. */
    public static BenchReport readResults(Path file) {
        if (!Files.isRegularFile(file)) {
            throw DlstationException.badInput("results " + file + ": no such file; pass the results.json a bench run wrote");
        }
        try {
            return ResultsWriter.MAPPER.readValue(file.toFile(), BenchReport.class);
        } catch (IOException e) {
            throw DlstationException.badInput("results " + file + ": not a dlstation results.json ("
                    + InternalNames.firstLineOr(e.getMessage(), "it does not read as one") + ")");
        }
    }

    /** Local points (not OOM) first, then the reference rows, best first within each. */
    public static List<Entry> entries(BenchReport results, List<ReferenceTable.Row> reference) {
        String gpu = results.machine() != null && !results.machine().gpus().isEmpty()
                ? results.machine().gpus().get(0).name() : "this machine (" + results.settings().get("device") + ")";
        List<Entry> local = new ArrayList<>();
        for (BenchPoint p : results.points()) {
            if (!p.oom()) {
                local.add(new Entry(gpu + " (measured here)", p.model() + " " + p.kind(), p.precision(),
                        p.batchSize() + (p.seqLength() == null ? "" : " x " + p.seqLength()), p.samplesPerS(),
                        "dlstation bench, " + results.started()));
            }
        }
        local.sort(Comparator.comparingDouble(Entry::samplesPerS).reversed());
        List<Entry> ref = new ArrayList<>();
        for (ReferenceTable.Row r : reference) {
            ref.add(new Entry(r.gpu(), r.workload(), r.precision() == null ? "" : r.precision(),
                    r.batchSize() == null ? "" : r.batchSize() + (r.seqLength() == null ? "" : " x " + r.seqLength()),
                    r.samplesPerS(), r.source()));
        }
        ref.sort(Comparator.comparing(Entry::workload).thenComparing(Comparator.comparingDouble(Entry::samplesPerS)
                .reversed()));
        List<Entry> all = new ArrayList<>(local);
        all.addAll(ref);
        return all;
    }

    /** The entries as a Markdown table. */
    public static String markdown(List<Entry> entries) {
        StringBuilder md = new StringBuilder("| GPU | workload | precision | batch | samples/s | source |\n"
                + "| --- | --- | --- | ---: | ---: | --- |\n");
        for (Entry e : entries) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %s |%n", e.gpu(), e.workload(),
                    e.precision(), e.batch(), e.samplesPerS(), e.source()));
        }
        return md.toString();
    }

    /** A horizontal bar chart of the local model's rows: the best local point per precision and the reference. */
    public static void writeChart(BenchReport results, List<Entry> entries, OutputStream out) throws IOException {
        String model = results.model();
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Entry e : entries) {
            boolean localRow = e.gpu().endsWith("(measured here)");
            boolean sameModel = e.workload().startsWith(model) || e.workload().startsWith("training (workload");
            String key = e.gpu() + e.precision();
            if (sameModel && !(localRow && seen.contains(key))) {
                seen.add(key);
                labels.add(e.gpu().replace(" (measured here)", " *") + " " + e.precision()
                        + (e.batch().isEmpty() ? "" : " b" + e.batch()));
                values.add(e.samplesPerS());
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(760)
                .title(model + ": samples/s (* = measured here; others published or measured before)")
                .yAxisTitle("samples/s").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        if (labels.isEmpty()) {
            labels.add("no comparable rows");
            values.add(0.0);
        }
        chart.addSeries("samples/s", labels, values);
        out.write(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * Writes compare.md and compare.png into {@code folder}; returns why the chart could not be drawn
     * (no fonts), or null.
     */
    public static String write(Path folder, BenchReport results, List<Entry> entries) {
        try {
            AtomicFiles.write(folder.resolve("compare.md"), out -> out.write(markdown(entries).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            try {
                AtomicFiles.write(folder.resolve("compare.png"), out -> writeChart(results, entries, out));
            } catch (RuntimeException | LinkageError e) {
                String problem = ResultsWriter.chartProblem(e);
                if (problem == null) {
                    throw e;
                }
                return problem;
            }
            return null;
        } catch (IOException e) {
            throw DlstationException.badInput("cannot write the comparison into " + folder + " (" + e.getMessage() + ")");
        }
    }
}
