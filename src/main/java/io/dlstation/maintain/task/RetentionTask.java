package io.dlstation.maintain.task;

import io.dlstation.error.DlstationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Deletes files under some folders that are too old, too many or too large in total, keeping at least
 * the newest few. A file is a candidate when it is a regular file (symbolic links are never followed nor
 * deleted) under one of the folders, at any depth, whose name matches {@code glob} (or, when the glob
 * holds a '/', whose path relative to its folder matches it).
 *
 * @param name the task's name
 * @param folders the roots; nothing outside them is ever deleted
 * @param glob which files count, e.g. {@code *.log}; {@code *} for all
 * @param maxAge files last modified longer ago than this are deleted; null for no age limit
 * @param maxCount at most this many files are kept (the newest); null for no count limit
 * @param maxTotalSize the oldest files are deleted until the rest fit; null for no size limit
 * @param keepNewest this many of the newest files are kept whatever the limits say
 * @param cron when the daemon runs it; null for by hand only
 */
public record RetentionTask(String name, List<Path> folders, String glob, AgeLimit maxAge, Integer maxCount,
        ByteSize maxTotalSize, int keepNewest, CronSchedule cron) implements MaintenanceTask {

    public RetentionTask {
        MaintenanceTask.checkName(name);
        folders = List.copyOf(Objects.requireNonNull(folders, "folders"));
        glob = glob == null || glob.isBlank() ? "*" : glob.strip();
        if (folders.isEmpty()) {
            throw DlstationException.badInput("no folders to clean");
        }
        if (maxAge == null && maxCount == null && maxTotalSize == null) {
            throw DlstationException.badInput("no limit; give max_age, max_count or max_total_size "
                    + "(--max-age, --max-count, --max-size)");
        }
        if (keepNewest < 0) {
            throw DlstationException.badInput("keep_newest (--keep) " + keepNewest + " < 0");
        }
        if (maxCount != null && maxCount < 1) {
            throw DlstationException.badInput("max_count (--max-count) " + maxCount
                    + " < 1; to delete every matching file use max_age 0d with --force");
        }
        if (maxCount != null && keepNewest > maxCount) {
            throw DlstationException.badInput("keep_newest " + keepNewest + " > max_count "
                    + maxCount + "; the count limit could never apply");
        }
        GlobMatcher.check(glob);
    }

    @Override
    public String kind() {
        return "retention";
    }

    @Override
    public Optional<CronSchedule> schedule() {
        return Optional.ofNullable(cron);
    }

    /** The limits in words: {@code *.log older than 30d, beyond 100 files, over 10G, keeping the newest 5}. */
    public String describeLimits() {
        StringBuilder b = new StringBuilder("'" + glob + "'");
        if (maxAge != null) {
            b.append(" older than ").append(maxAge);
        }
        if (maxCount != null) {
            b.append(maxAge != null ? "," : "").append(" beyond the newest ").append(maxCount);
        }
        if (maxTotalSize != null) {
            b.append(maxAge != null || maxCount != null ? "," : "").append(" over ").append(maxTotalSize).append(" in total");
        }
        if (keepNewest > 0) {
            b.append(", keeping the newest ").append(keepNewest);
        }
        return b.toString();
    }
}
