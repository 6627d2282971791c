package io.dlstation.bench;

import io.dlstation.train.MaxBatchSearch;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.dlstation.info.MachineReport;
import java.util.List;
import java.util.Map;

/**
 * The contents of results.json ({@code "schema": 1}). Rewritten after every point, so an interrupted
 * sweep still leaves a valid file ({@code complete} false).
 *
 * @param command the command line that produced it
 * @param machine what {@code dlstation info} reports about the host, GPUs and engine
 * @param maxBatch the largest batch that fitted, per precision, when {@code --find-max-batch} ran
 */
@JsonPropertyOrder({"schema", "kind", "complete", "started", "finished", "command", "model", "settings", "machine",
    "points", "max_batch"})
public record BenchReport(
        int schema,
        String kind,
        boolean complete,
        String started,
        String finished,
        List<String> command,
        String model,
        Map<String, Object> settings,
        MachineReport machine,
        List<BenchPoint> points,
        @JsonProperty("max_batch") Map<String, MaxBatchSearch.Result> maxBatch) {

    public static final int SCHEMA = 1;

    public BenchReport {
        points = List.copyOf(points);
        command = List.copyOf(command);
    }
}
