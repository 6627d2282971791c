package io.dlstation.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a sweep's four files into one folder, each atomically: results.json, results.csv,
 * summary.md and throughput.png.
 */
public final class ResultsWriter {
    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";
    public static final String SUMMARY = "summary.md";
    public static final String CHART = "throughput.png";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final CsvMapper CSV_MAPPER = new CsvMapper();

    private final Path folder;

    public ResultsWriter(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** results.json only: called after every point, so an interrupted sweep leaves a valid file. */
    public void writeJson(BenchReport report) {
        write(JSON, () -> AtomicFiles.write(folder.resolve(JSON), out -> MAPPER.writeValue(out, report)));
    }

    /** All four files. */
    public void writeAll(BenchReport report) {
        writeJson(report);
        write(CSV, () -> {
            CsvSchema schema = CSV_MAPPER.schemaFor(BenchPoint.class).withHeader();
            AtomicFiles.write(folder.resolve(CSV), out -> CSV_MAPPER.writer(schema).writeValue(out, report.points()));
        });
        write(SUMMARY, () -> AtomicFiles.write(folder.resolve(SUMMARY),
                out -> out.write(SummaryTable.markdown(report).getBytes(StandardCharsets.UTF_8))));
        write(CHART, () -> AtomicFiles.write(folder.resolve(CHART), out -> ThroughputChart.writePng(report, out)));
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void write(String name, IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new DlstationException(ErrorCode.INTERNAL, "cannot write " + folder.resolve(name) + " ("
                    + e.getMessage() + "); check that --out is a writable folder");
        }
    }
}
