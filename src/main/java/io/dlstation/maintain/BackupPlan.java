package io.dlstation.maintain;

import io.dlstation.maintain.task.BackupTask;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a backup would copy now, where it would go, and which older backups it would replace.
 *
 * @param task the task
 * @param created the backup's time, which names it
 * @param destination the destination folder (it may not exist yet)
 * @param folderName the new backup's folder name
 * @param sources each source's label and real path
 * @param items every file to copy, by its path in the backup
 * @param totalBytes their total size
 * @param prune the backups that go once this one is complete ({@code keep})
 * @param usableBytes free space for this user at the destination
 * @param warnings files skipped (links to folders, broken links, special files)
 */
record BackupPlan(BackupTask task, Instant created, Path destination, String folderName,
        List<BackupManifest.Source> sources, List<Item> items, long totalBytes, List<BackupCatalog.BackupInfo> prune,
        long usableBytes, List<String> warnings) {

    /** One file: where it is read from and where it goes in the backup ({@code data/LABEL/...}). */
    public record Item(Path source, String path, long bytes) {}

    public BackupPlan {
        sources = List.copyOf(sources);
        items = List.copyOf(items);
        prune = List.copyOf(prune);
        warnings = List.copyOf(warnings);
    }
}
