package io.dlstation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.info.MachineReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFilesTest {
    @TempDir
    Path tmp;

    private static BenchPoint point(int batch, double ms, boolean oom) {
        return oom ? new BenchPoint("resnet50", "train", "fp32", batch, 1, null, null, null, null, null, null, null, null,
                null, null, null, 0, false, true, "out of memory")
                : new BenchPoint("resnet50", "train", "fp32", batch, 1, null, ms, batch * 1000 / ms, 1L << 30, "nvml-device",
                        900L << 20, 960L << 20, ms / 2, null, null, null, 50, false, false, null);
    }

    private static BenchReport report(boolean complete, List<BenchPoint> points) {
        return new BenchReport(1, "train", complete, "2026-11-26T00:00:00Z", null, List.of("dlstation", "bench", "train"),
                "resnet50", Map.of("device", "gpu(0)"), (MachineReport) null, points, Map.of());
    }

    @Test
    void writesAllFourFilesAndReadsResultsBack() throws IOException {
        ResultsWriter writer = new ResultsWriter(tmp);
        String chartProblem = writer.writeAll(report(true, List.of(point(16, 20, false), point(32, 30, false),
                point(64, 0, true))));
        assertThat(chartProblem).as("the chart needs a font (the CI script installs fonts-dejavu-core)").isNull();
        for (String f : List.of(ResultsWriter.JSON, ResultsWriter.CSV, ResultsWriter.SUMMARY, ResultsWriter.CHART)) {
            assertThat(tmp.resolve(f)).isNotEmptyFile();
        }
        assertThat(Files.readAllLines(tmp.resolve(ResultsWriter.CSV)).get(0))
                .startsWith("model,kind,precision,batch_size,devices,seq_length,step_ms,samples_per_s,peak_memory_bytes");
        assertThat(Files.readString(tmp.resolve(ResultsWriter.SUMMARY))).contains("| fp32 | 64 |  | OOM |");
        byte[] png = Files.readAllBytes(tmp.resolve(ResultsWriter.CHART));
        assertThat(png[1]).isEqualTo((byte) 'P');
        BenchReport back = Comparison.readResults(tmp.resolve(ResultsWriter.JSON));
        assertThat(back.points()).hasSize(3);
        assertThat(back.points().get(2).oom()).isTrue();
        assertThat(Files.readString(tmp.resolve(ResultsWriter.JSON))).contains("\"schema\" : 1", "\"batch_size\" : 16",
                "\"samples_per_s\"", "\"peak_memory_bytes\"", "\"oom\" : true");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aRewriteReplacesTheFileWholeSoAnInterruptedSweepLeavesValidJson() throws IOException {
        ResultsWriter writer = new ResultsWriter(tmp);
        writer.writeJson(report(false, List.of(point(16, 20, false))));
        BenchReport partial = Comparison.readResults(tmp.resolve(ResultsWriter.JSON));
        assertThat(partial.complete()).isFalse();
        assertThat(partial.points()).hasSize(1);
        writer.writeJson(report(false, List.of(point(16, 20, false), point(32, 30, false))));
        assertThat(Comparison.readResults(tmp.resolve(ResultsWriter.JSON)).points()).hasSize(2);
    }

    @Test
    void comparisonPutsLocalRowsBesideTheBundledReference() {
        List<Comparison.Entry> entries = Comparison.entries(report(true, List.of(point(128, 50, false))),
                ReferenceTable.bundled());
        assertThat(entries.get(0).gpu()).endsWith("(measured here)");
        assertThat(entries.get(0).samplesPerS()).isEqualTo(2560.0);
        assertThat(entries).anySatisfy(e -> assertThat(e.source()).contains("seed document"));
        assertThat(entries).anySatisfy(e -> assertThat(e.source()).contains("Lambda"));
        assertThat(Comparison.markdown(entries)).contains("| GPU | workload | precision | batch | samples/s | source |");
    }
}
