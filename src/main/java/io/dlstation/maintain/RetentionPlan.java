package io.dlstation.maintain;

import io.dlstation.maintain.task.RetentionTask;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a retention task would delete now, decided from one listing of its folders.
 *
 * @param task the task
 * @param now the time ages were measured against
 * @param roots the task's folders that exist, as real paths
 * @param matched how many files matched the glob
 * @param deletions the files to delete, oldest last, each with its reason
 * @param kept how many matching files stay
 * @param keptBytes their total size
 * @param skippedLinks how many symbolic links matched: links are never followed nor deleted
 * @param warnings folders missing or unreadable, limits that could not be met
 */
record RetentionPlan(RetentionTask task, Instant now, List<Path> roots, int matched, List<Deletion> deletions,
        int kept, long keptBytes, int skippedLinks, List<String> warnings) {

    /** One file to delete: under which root, its size and modification time when listed, and why. */
    public record Deletion(Path root, Path path, long bytes, Instant modified, String reason) {}

    public RetentionPlan {
        roots = List.copyOf(roots);
        deletions = List.copyOf(deletions);
        warnings = List.copyOf(warnings);
    }

    /** The bytes the deletions free. */
    public long deletedBytes() {
        return deletions.stream().mapToLong(Deletion::bytes).sum();
    }
}
