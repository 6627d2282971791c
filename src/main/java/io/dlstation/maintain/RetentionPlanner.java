package io.dlstation.maintain;

import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.AgeLimit;
import io.dlstation.maintain.task.ByteSize;
import io.dlstation.maintain.task.GlobMatcher;
import io.dlstation.maintain.task.RetentionTask;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * Lists a retention task's files and decides which go. Files are ranked newest first (by modification
 * time); the newest {@code keep_newest} always stay; of the rest a file goes when it is older than
 * {@code max_age}, or when it and everything older lie beyond {@code max_count} files or
 * {@code max_total_size} bytes counted from the newest. Folders are walked without following links; a
 * symbolic link is never a candidate. Nothing is changed here.
 */
final class RetentionPlanner {
    private final PathGuard guard;
    private final Clock clock;

    public RetentionPlanner(PathGuard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    private record Found(Path root, Path path, long bytes, Instant modified) {}

    /** The plan for {@code task} now. */
    public RetentionPlan plan(RetentionTask task) {
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        List<Path> roots = new ArrayList<>();
        List<Found> found = new ArrayList<>();
        int links = 0;
        GlobMatcher glob = new GlobMatcher(task.glob());
        for (Path folder : task.folders()) {
            Path root;
            try {
                root = guard.deletionRoot("task '" + task.name() + "': folder", folder);
            } catch (NoSuchFileException e) {
                warnings.add("folder " + folder + " does not exist; skipped");
                continue;
            } catch (IOException e) {
                warnings.add("folder " + folder + " cannot be read (" + e.getMessage() + "); skipped");
                continue;
            }
            roots.add(root);
            links += list(root, glob, found, warnings);
        }
        found.sort(Comparator.comparing(Found::modified).reversed().thenComparing(f -> f.path().toString()));
        return decide(task, now, roots, found, links, warnings);
    }

    private static RetentionPlan decide(RetentionTask task, Instant now, List<Path> roots, List<Found> found,
            int links, List<String> warnings) {
        List<RetentionPlan.Deletion> deletions = new ArrayList<>();
        int kept = 0;
        long keptBytes = 0;
        boolean beyondCount = false;
        boolean beyondSize = false;
        for (int i = 0; i < found.size(); i++) {
            Found f = found.get(i);
            String reason = null;
            if (i >= task.keepNewest()) {
                Duration age = Duration.between(f.modified(), now);
                beyondCount |= task.maxCount() != null && kept >= task.maxCount();
                beyondSize |= task.maxTotalSize() != null && keptBytes + f.bytes() > task.maxTotalSize().bytes();
                if (task.maxAge() != null && age.compareTo(task.maxAge().duration()) > 0) {
                    reason = "older than " + task.maxAge() + " (" + AgeLimit.describe(age) + ")";
                } else if (beyondCount) {
                    reason = "beyond the newest " + task.maxCount() + " files";
                } else if (beyondSize) {
                    reason = "beyond " + task.maxTotalSize() + " in total, counting from the newest";
                }
            }
            if (reason == null) {
                kept++;
                keptBytes += f.bytes();
            } else {
                deletions.add(new RetentionPlan.Deletion(f.root(), f.path(), f.bytes(), f.modified(), reason));
            }
        }
        if (task.maxTotalSize() != null && keptBytes > task.maxTotalSize().bytes()) {
            warnings.add("the newest " + task.keepNewest() + " files kept by keep_newest total "
                    + ByteSize.format(keptBytes) + ", over max_total_size " + task.maxTotalSize());
        }
        return new RetentionPlan(task, now, roots, found.size(), deletions, kept, keptBytes, links, warnings);
    }

    /** Adds the matching regular files under {@code root} to {@code found}; returns how many links matched. */
    private static int list(Path root, GlobMatcher glob, List<Found> found, List<String> warnings) {
        int[] links = {0};
        try {
            Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (!glob.matches(root.relativize(file))) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (attrs.isSymbolicLink()) {
                                links[0]++;
                            } else if (attrs.isRegularFile()) {
                                found.add(new Found(root, file, attrs.size(), attrs.lastModifiedTime().toInstant()));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (!(e instanceof NoSuchFileException)) {
                                warnings.add(file + " cannot be read (" + e.getMessage() + "); skipped");
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            warnings.add("folder " + root + " cannot be listed (" + e.getMessage() + ")");
        }
        return links[0];
    }
}
