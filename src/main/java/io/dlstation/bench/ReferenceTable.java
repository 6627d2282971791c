package io.dlstation.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Published and previously measured throughput figures to compare a local run with; every row names
 * its source. The product ships one (reference.csv); {@code --reference FILE} takes another with the
 * same columns.
 */
public final class ReferenceTable {
    /** One published figure. */
    public record Row(
            @JsonProperty("gpu") String gpu,
            @JsonProperty("workload") String workload,
            @JsonProperty("precision") String precision,
            @JsonProperty("batch_size") Integer batchSize,
            @JsonProperty("seq_length") Integer seqLength,
            @JsonProperty("samples_per_s") double samplesPerS,
            @JsonProperty("source") String source) {}

    private ReferenceTable() {}

    /** The table shipped with the product. */
    public static List<Row> bundled() {
        try (InputStream in = ReferenceTable.class.getResourceAsStream("reference.csv")) {
            return parse(in, "the bundled reference table");
        } catch (IOException e) {
            throw new IllegalStateException("the bundled reference table is unreadable", e);
        }
    }

    /** A user's table. */
    public static List<Row> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw DlstationException.badInput("--reference " + file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static List<Row> parse(InputStream in, String what) {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Row> rows = mapper.readerFor(Row.class).with(schema).readValues(in)) {
            return rows.readAll();
        } catch (IOException | RuntimeException e) {
            throw DlstationException.badInput("reference " + what + ": not a CSV with columns gpu, workload, precision, "
                    + "batch_size, seq_length, samples_per_s, source (" + e.getMessage().split("\n")[0] + ")");
        }
    }
}
