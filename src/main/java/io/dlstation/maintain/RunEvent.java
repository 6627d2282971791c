package io.dlstation.maintain;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One thing a task did or would do: a file deleted, copied or refused, a backup made or pruned, a warning.
 *
 * @param time when (ISO-8601)
 * @param task which task
 * @param action what: see the constants
 * @param path the file or folder, or null
 * @param bytes its size, or null
 * @param detail why, or more about it; null when there is nothing to add
 */
@JsonPropertyOrder({"time", "task", "action", "path", "bytes", "detail"})
public record RunEvent(String time, String task, String action, String path, Long bytes, String detail) {
    public static final String DELETED = "deleted";
    public static final String WOULD_DELETE = "would_delete";
    public static final String KEPT_CHANGED = "skipped_changed";
    public static final String REFUSED = "refused";
    public static final String COPIED = "copied";
    public static final String WOULD_COPY = "would_copy";
    public static final String BACKUP_CREATED = "backup_created";
    public static final String WOULD_CREATE = "would_create";
    public static final String PRUNED = "pruned";
    public static final String WOULD_PRUNE = "would_prune";
    public static final String PARTIAL_REMOVED = "partial_removed";
    public static final String WARNING = "warning";

    static RunEvent of(Instant time, String task, String action, Path path, Long bytes, String detail) {
        return new RunEvent(time.toString(), task, action, path == null ? null : path.toString(), bytes, detail);
    }

    /** Whether this event only says what a dry run would do. */
    public boolean hypothetical() {
        return action.startsWith("would_");
    }
}
