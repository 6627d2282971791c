package io.dlstation.maintain;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code maintain.log} in the state folder: one JSON object per line for every run started and finished
 * and every file deleted, copied or refused. When it passes {@code maxBytes} it is renamed to
 * {@code maintain.log.1} (replacing the previous one) and a new one begins. A failure to write the log is
 * remembered, never thrown into the task.
 */
public final class RunLog implements RunListener {
    /** The log's file name. */
    public static final String FILE = "maintain.log";
    private static final long DEFAULT_MAX_BYTES = 10L << 20;

    private final Path file;
    private final long maxBytes;
    private volatile String lastError;

    public RunLog(Path folder) {
        this(folder, DEFAULT_MAX_BYTES);
    }

    RunLog(Path folder, long maxBytes) {
        this.file = folder.resolve(FILE);
        this.maxBytes = maxBytes;
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    /** Why the last write failed, or null. */
    public String lastError() {
        return lastError;
    }

    @Override
    public void on(RunEvent event) {
        append(MaintainJson.LINES.convertValue(event, Map.class));
    }

    /** A run begins. */
    public void started(String time, String task, String trigger, String slot) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", time);
        line.put("task", task);
        line.put("action", "run_started");
        line.put("trigger", trigger);
        if (slot != null) {
            line.put("slot", slot);
        }
        append(line);
    }

    /** A run ended. */
    public void finished(TaskReport report) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", report.finished());
        line.put("task", report.task());
        line.put("action", "run_finished");
        line.put("outcome", report.outcome().label());
        line.put("summary", report.summary());
        if (report.error() != null) {
            line.put("error", report.error());
        }
        append(line);
    }

    private synchronized void append(Map<?, ?> line) {
        try {
            byte[] bytes = (MaintainJson.LINES.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            Shielded.run(() -> {
                Files.createDirectories(file.getParent());
                if (Files.exists(file) && Files.size(file) >= maxBytes) {
                    Files.move(file, file.resolveSibling(FILE + ".1"), StandardCopyOption.REPLACE_EXISTING);
                }
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    out.write(bytes);
                }
                return null;
            });
            lastError = null;
        } catch (IOException | RuntimeException e) {
            lastError = file + ": " + e.getMessage();
        }
    }
}
