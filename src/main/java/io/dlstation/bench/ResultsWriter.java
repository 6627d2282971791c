package io.dlstation.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.files.AtomicFiles;
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

    /**
     * All four files. A machine that cannot draw (no fonts) still gets the other three, and the chart's
     * absence is returned as a one-line reason (null when all four were written).
     */
    public String writeAll(BenchReport report) {
        writeJson(report);
        write(CSV, () -> {
            CsvSchema schema = CSV_MAPPER.schemaFor(BenchPoint.class).withHeader();
            AtomicFiles.write(folder.resolve(CSV), out -> CSV_MAPPER.writer(schema).writeValue(out, report.points()));
        });
        write(SUMMARY, () -> AtomicFiles.write(folder.resolve(SUMMARY),
                out -> out.write(SummaryTable.markdown(report).getBytes(StandardCharsets.UTF_8))));
        try {
            write(CHART, () -> AtomicFiles.write(folder.resolve(CHART), out -> ThroughputChart.writePng(report, out)));
        } catch (RuntimeException | LinkageError e) {
            String problem = chartProblem(e);
            if (problem == null) {
                throw e;
            }
            return problem;
        }
        return null;
    }

    /**
     * Why no chart could be drawn, or null when it was: Java draws text with the system's fonts, and a
     * server without any (no fontconfig, no fonts) cannot render one.
     */
    public static String chartProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Fontconfig") || m.contains("font") || t instanceof java.awt.AWTError
                    || t instanceof UnsatisfiedLinkError) {
                return "no fonts to draw the chart with (" + m.split("\n")[0] + "); install fontconfig and a font, "
                        + "e.g. apt-get install -y fontconfig fonts-dejavu-core";
            }
        }
        return null;
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
