package io.dlstation.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** throughput.png: samples/s against batch size (or sequence length), one line per precision. */
final class ThroughputChart {
    private ThroughputChart() {}

    static void writePng(BenchReport report, OutputStream out) throws IOException {
        boolean bySequence = report.points().stream().anyMatch(p -> p.seqLength() != null)
                && report.points().stream().map(BenchPoint::seqLength).distinct().count() > 1;
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("dlstation bench " + report.kind() + ": " + report.model())
                .xAxisTitle(bySequence ? "sequence length" : "batch size")
                .yAxisTitle("samples/s").build();
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        Map<String, List<BenchPoint>> series = new LinkedHashMap<>();
        for (BenchPoint p : report.points()) {
            if (!p.oom()) {
                String name = p.precision() + (bySequence ? " (batch " + p.batchSize() + ")"
                        : p.seqLength() == null ? "" : " (seq " + p.seqLength() + ")");
                series.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
            }
        }
        if (series.isEmpty()) {
            chart.addSeries("no point fitted in memory", new double[] {0}, new double[] {0});
        }
        for (Map.Entry<String, List<BenchPoint>> e : series.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(p -> p.x(bySequence)).toArray();
            double[] y = e.getValue().stream().mapToDouble(BenchPoint::samplesPerS).toArray();
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        out.write(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
