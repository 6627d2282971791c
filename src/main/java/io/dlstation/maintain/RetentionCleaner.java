package io.dlstation.maintain;

import io.dlstation.files.PathGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Optional;

/**
 * Carries out a {@link RetentionPlan}, one file at a time: each file is checked by the {@link PathGuard}
 * again just before it goes (its folder may have been swapped for a link since the listing), and skipped
 * when it changed since it was listed. Every delete, skip and refusal is reported as a {@link RunEvent}.
 * An interrupt stops it between two files.
 */
final class RetentionCleaner {
    /** What the deletes came to. */
    record Result(int deleted, long deletedBytes, int skipped, int refused, boolean interrupted) {}

    private final PathGuard guard;
    private final Clock clock;

    RetentionCleaner(PathGuard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    Result apply(RetentionPlan plan, RunListener listener) {
        String task = plan.task().name();
        int deleted = 0;
        long deletedBytes = 0;
        int skipped = 0;
        int refused = 0;
        for (RetentionPlan.Deletion d : plan.deletions()) {
            if (Thread.currentThread().isInterrupted()) {
                return new Result(deleted, deletedBytes, skipped, refused, true);
            }
            Optional<String> why = guard.whyNotDeletable(d.root(), d.path(), false);
            if (why.isPresent() && why.get().equals("gone")) {
                skipped++;
                listener.on(RunEvent.of(clock.instant(), task, RunEvent.KEPT_CHANGED, d.path(), d.bytes(),
                        "already gone"));
                continue;
            }
            if (why.isPresent()) {
                refused++;
                listener.on(RunEvent.of(clock.instant(), task, RunEvent.REFUSED, d.path(), d.bytes(), why.get()));
                continue;
            }
            try {
                BasicFileAttributes now = Files.readAttributes(d.path(), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (now.size() != d.bytes() || !now.lastModifiedTime().toInstant().equals(d.modified())) {
                    skipped++;
                    listener.on(RunEvent.of(clock.instant(), task, RunEvent.KEPT_CHANGED, d.path(), now.size(),
                            "changed since it was listed; left for the next run"));
                    continue;
                }
                Files.delete(d.path());
                deleted++;
                deletedBytes += d.bytes();
                listener.on(RunEvent.of(clock.instant(), task, RunEvent.DELETED, d.path(), d.bytes(), d.reason()));
            } catch (NoSuchFileException e) {
                skipped++;
                listener.on(RunEvent.of(clock.instant(), task, RunEvent.KEPT_CHANGED, d.path(), d.bytes(),
                        "already gone"));
            } catch (IOException e) {
                refused++;
                listener.on(RunEvent.of(clock.instant(), task, RunEvent.REFUSED, d.path(), d.bytes(),
                        "cannot be deleted (" + e.getMessage() + ")"));
            }
        }
        return new Result(deleted, deletedBytes, skipped, refused, false);
    }
}
