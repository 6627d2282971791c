package io.dlstation.maintain;

import io.dlstation.error.DlstationException;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.maintain.task.ByteSize;
import io.dlstation.maintain.task.MaintenanceTask;
import io.dlstation.maintain.task.RetentionTask;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one task now, or in a dry run says what it would do, and reports it. A failure of one task is its
 * report's {@link Outcome#FAILED}, never an exception, so the tasks after it still run.
 */
public final class TaskRunner {
    private final Clock clock;
    private final RetentionPlanner planner;
    private final RetentionCleaner cleaner;
    private final BackupWriter backups;

    public TaskRunner(PathGuard guard, Clock clock, FileCopier copier) {
        this.clock = clock;
        this.planner = new RetentionPlanner(guard, clock);
        this.cleaner = new RetentionCleaner(guard, clock);
        this.backups = new BackupWriter(guard, clock, copier);
    }

    /** Runs {@code task}; every event also goes to {@code listener} as it happens. */
    public TaskReport run(MaintenanceTask task, boolean dryRun, RunListener listener) {
        Instant started = clock.instant();
        List<RunEvent> events = new ArrayList<>();
        RunListener record = events::add;
        RunListener both = record.and(listener);
        List<String> warnings = new ArrayList<>();
        Outcome outcome;
        String summary;
        String error = null;
        try {
            Result r = switch (task) {
                case RetentionTask t -> retention(t, dryRun, both, warnings);
                case BackupTask t -> backup(t, dryRun, both, warnings);
            };
            outcome = r.outcome();
            summary = r.summary();
        } catch (DlstationException e) {
            outcome = Outcome.FAILED;
            error = e.getMessage();
            summary = "failed: " + e.getMessage();
        } catch (InterruptedIOException | java.nio.channels.ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.FAILED;
            error = "stopped before the end (the daemon was asked to stop); a backup in progress was not kept";
            summary = error;
        } catch (IOException | RuntimeException e) {
            outcome = Outcome.FAILED;
            error = describe(e);
            summary = "failed: " + error;
        }
        if (!warnings.isEmpty()) {
            outcome = outcome.and(Outcome.WARNING);
            for (String w : warnings) {
                both.on(RunEvent.of(clock.instant(), task.name(), RunEvent.WARNING, null, null, w));
            }
        }
        return new TaskReport(task.name(), task.kind(), dryRun, started.toString(), clock.instant().toString(), outcome,
                summary, warnings, error, events);
    }

    private record Result(Outcome outcome, String summary) {}

    private Result retention(RetentionTask task, boolean dryRun, RunListener listener, List<String> warnings) {
        RetentionPlan plan = planner.plan(task);
        warnings.addAll(plan.warnings());
        String links = plan.skippedLinks() == 0 ? "" : "; " + plan.skippedLinks() + " symbolic link(s) left alone";
        String kept = "kept " + plan.kept() + " (" + ByteSize.format(plan.keptBytes()) + ")";
        if (dryRun) {
            for (RetentionPlan.Deletion d : plan.deletions()) {
                listener.on(RunEvent.of(clock.instant(), task.name(), RunEvent.WOULD_DELETE, d.path(), d.bytes(),
                        d.reason()));
            }
            return new Result(Outcome.OK, "would delete " + plan.deletions().size() + " of " + plan.matched()
                    + " matching files (" + ByteSize.format(plan.deletedBytes()) + "), " + kept + links);
        }
        RetentionCleaner.Result r = cleaner.apply(plan, listener);
        String summary = "deleted " + r.deleted() + " of " + plan.matched() + " matching files ("
                + ByteSize.format(r.deletedBytes()) + "), " + kept + links
                + (r.skipped() > 0 ? "; " + r.skipped() + " changed or gone since listed, left" : "")
                + (r.refused() > 0 ? "; " + r.refused() + " refused" : "")
                + (r.interrupted() ? "; stopped before the end" : "");
        Outcome outcome = r.refused() > 0 || r.interrupted() ? Outcome.FAILED : Outcome.OK;
        return new Result(outcome, summary);
    }

    private Result backup(BackupTask task, boolean dryRun, RunListener listener, List<String> warnings)
            throws IOException {
        BackupPlan plan = backups.plan(task);
        String size = plan.items().size() + " files (" + ByteSize.format(plan.totalBytes()) + ")";
        if (dryRun) {
            warnings.addAll(plan.warnings());
            for (BackupPlan.Item item : plan.items()) {
                listener.on(RunEvent.of(clock.instant(), task.name(), RunEvent.WOULD_COPY, item.source(), item.bytes(),
                        item.path()));
            }
            listener.on(RunEvent.of(clock.instant(), task.name(), RunEvent.WOULD_CREATE,
                    plan.destination().resolve(plan.folderName()), plan.totalBytes(), plan.items().size() + " files"));
            for (BackupCatalog.BackupInfo old : plan.prune()) {
                listener.on(RunEvent.of(clock.instant(), task.name(), RunEvent.WOULD_PRUNE, old.folder(), old.bytes(),
                        "beyond keep " + task.keep()));
            }
            if (plan.totalBytes() > plan.usableBytes()) {
                warnings.add("the backup needs " + ByteSize.format(plan.totalBytes()) + " but the destination has "
                        + ByteSize.format(plan.usableBytes()) + " free");
            }
            return new Result(Outcome.OK, "would copy " + size + " into " + plan.destination().resolve(plan.folderName())
                    + (plan.prune().isEmpty() ? "" : " and prune " + plan.prune().size() + " older backup(s)"));
        }
        BackupWriter.BackupResult r = backups.write(plan, listener);
        warnings.addAll(r.warnings());
        return new Result(Outcome.OK, "backed up " + r.files() + " files (" + ByteSize.format(r.bytes()) + ") to "
                + r.folder() + (r.verified() ? ", verified" : ", not verified (verify: false)")
                + (r.pruned().isEmpty() ? "" : "; pruned " + r.pruned().size() + " older backup(s)"));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file" + message;
            case java.nio.file.AccessDeniedException a -> "permission denied" + message;
            case java.nio.file.FileSystemException f -> f.getReason() != null ? f.getReason() + ": " + f.getFile()
                    : "file system error" + message;
            case IOException io -> "I/O error" + message;
            default -> "unexpected failure" + message;
        };
    }
}
