package io.dlstation.train;

import io.dlstation.files.AtomicFiles;
import io.dlstation.tensorboard.EventFileWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's metrics as they happen: rows of {@code metrics.csv} and scalars in a TensorBoard event file
 * under {@code tensorboard/}. Every row carries the optimiser step; a resumed run first drops the rows
 * after the step it resumes from, so the CSV reads as one uninterrupted run.
 */
final class MetricsLog implements AutoCloseable {
    /** The CSV's columns, in order. */
    static final List<String> COLUMNS = List.of("step", "epoch", "phase", "loss", "accuracy", "learning_rate",
            "samples_per_s", "data_wait_pct", "gpu_memory_gib", "loss_scale", "grad_norm", "skipped_steps",
            "time_s");

    private final BufferedWriter csv;
    private final EventFileWriter tensorboard;

    private MetricsLog(BufferedWriter csv, EventFileWriter tensorboard) {
        this.csv = csv;
        this.tensorboard = tensorboard;
    }

    /**
     * Opens the run's logs in {@code out}; with {@code resumeStep} >= 0, keeps the CSV rows up to that
     * step and appends after them.
     */
    static MetricsLog open(Path out, long resumeStep, Clock clock) {
        Path file = out.resolve("metrics.csv");
        try {
            if (resumeStep >= 0 && Files.isRegularFile(file)) {
                List<String> kept = new ArrayList<>();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (kept.isEmpty() || stepOf(line) <= resumeStep) {
                        kept.add(line);
                    }
                }
                AtomicFiles.write(file, o -> o.write((String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8)));
            } else {
                AtomicFiles.write(file, o -> o.write((String.join(",", COLUMNS) + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return new MetricsLog(writer, EventFileWriter.create(out.resolve("tensorboard"), clock));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the metrics log in " + out + ": " + e.getMessage(), e);
        }
    }

    private static long stepOf(String line) {
        int comma = line.indexOf(',');
        try {
            return Long.parseLong(comma < 0 ? line : line.substring(0, comma));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // not a row this version wrote: drop it
        }
    }

    /**
     * Records one row.
     *
     * @param phase {@code train} or {@code validation}
     * @param values by column name (missing ones stay empty); TensorBoard gets them as {@code phase/name}
     */
    void record(long step, int epoch, String phase, Map<String, Double> values, double timeSeconds) {
        StringBuilder row = new StringBuilder();
        row.append(step).append(',').append(epoch).append(',').append(phase);
        for (String column : COLUMNS.subList(3, COLUMNS.size() - 1)) {
            Double v = values.get(column);
            row.append(',');
            if (v != null && !v.isNaN()) {
                row.append(format(v));
            }
        }
        row.append(',').append(String.format(Locale.ROOT, "%.3f", timeSeconds));
        Map<String, Double> scalars = new LinkedHashMap<>();
        values.forEach((name, v) -> {
            if (v != null && Double.isFinite(v)) {
                scalars.put(phase + "/" + name, v);
            }
        });
        try {
            csv.write(row.toString());
            csv.newLine();
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics.csv: " + e.getMessage(), e);
        }
        tensorboard.scalars(scalars, step);
        tensorboard.flush();
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    @Override
    public void close() {
        try {
            csv.close();
        } catch (IOException ignored) {
            // appended rows were flushed one by one
        }
        tensorboard.close();
    }
}
