package io.dlstation.maintain;

import io.dlstation.maintain.task.CronSchedule;
import io.dlstation.maintain.task.MaintenanceTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs tasks and records each run: the run log gets every event, the status file the task's last run, its
 * slot and its next run. Dry runs are recorded nowhere: they change nothing, not even the status.
 */
public final class MaintenanceRuns {
    private final TaskRunner runner;
    private final RunLog log;
    private final StatusStore status;
    private final Clock clock;
    private final PrintWriter warnings;

    /** {@code warnings} hears when the status file cannot be written. */
    public MaintenanceRuns(TaskRunner runner, RunLog log, StatusStore status, Clock clock, PrintWriter warnings) {
        this.runner = runner;
        this.log = log;
        this.status = status;
        this.clock = clock;
        this.warnings = warnings;
    }

    /** Runs {@code task} by hand (or dry). */
    public TaskReport runNow(MaintenanceTask task, boolean dryRun, RunListener listener) {
        if (dryRun) {
            return runner.run(task, true, listener);
        }
        return record(task, "manual", null, 0, listener, t -> t.schedule()
                .flatMap(s -> s.next(clock.instant(), clock.getZone())).orElse(null));
    }

    /** Runs a due task for the daemon; {@code nextRun} tells the next slot once the scheduler has moved on. */
    public TaskReport runScheduled(MaintenanceScheduler.Due due, RunListener listener,
            Function<MaintenanceTask, Instant> nextRun) {
        return record(due.task(), due.trigger(), due.slot(), due.missed(), listener, nextRun);
    }

    private TaskReport record(MaintenanceTask task, String trigger, Instant slot, int missed, RunListener listener,
            Function<MaintenanceTask, Instant> nextRun) {
        log.started(clock.instant().toString(), task.name(), trigger, slot == null ? null : slot.toString());
        TaskReport report = runner.run(task, false, log.and(listener));
        log.finished(report);
        MaintenanceStatus.LastRun run = new MaintenanceStatus.LastRun(trigger, slot == null ? null : slot.toString(),
                missed, report.started(), report.finished(), report.outcome(), report.summary(), report.warnings(),
                report.error());
        Instant next = nextRun.apply(task);
        update(s -> {
            Map<String, MaintenanceStatus.TaskState> tasks = new LinkedHashMap<>(s.tasks());
            MaintenanceStatus.TaskState old = tasks.get(task.name());
            String lastSlot = slot != null ? slot.toString() : old == null ? null : old.lastSlot();
            String lastSuccess = report.outcome() != Outcome.FAILED ? report.finished()
                    : old == null ? null : old.lastSuccess();
            tasks.put(task.name(), new MaintenanceStatus.TaskState(task.kind(), schedule(task),
                    next == null ? null : next.toString(), lastSlot, run, lastSuccess));
            return new MaintenanceStatus(1, clock.instant().toString(), s.daemon(), tasks);
        });
        return report;
    }

    /** The daemon's heartbeat: its process, and each task's schedule, last slot and next run. */
    public void heartbeat(MaintenanceStatus.Daemon daemon, List<MaintenanceTask> tasks,
            Function<MaintenanceTask, Instant> nextRun, Map<String, Instant> lastSlots) {
        update(s -> {
            Map<String, MaintenanceStatus.TaskState> states = new LinkedHashMap<>(s.tasks());
            for (MaintenanceTask task : tasks) {
                MaintenanceStatus.TaskState old = states.get(task.name());
                Instant next = nextRun.apply(task);
                Instant slot = lastSlots.get(task.name());
                states.put(task.name(), new MaintenanceStatus.TaskState(task.kind(), schedule(task),
                        next == null ? null : next.toString(), slot == null ? null : slot.toString(),
                        old == null ? null : old.lastRun(), old == null ? null : old.lastSuccess()));
            }
            return new MaintenanceStatus(1, clock.instant().toString(), daemon, states);
        });
    }

    private static String schedule(MaintenanceTask task) {
        return task.schedule().map(CronSchedule::expression).orElse(null);
    }

    private void update(java.util.function.UnaryOperator<MaintenanceStatus> change) {
        try {
            status.update(change);
        } catch (IOException | RuntimeException e) {
            warnings.println("dlstation: the status file " + status.file() + " was not written: "
                    + (e.getMessage() != null ? e.getMessage() : "interrupted"));
            warnings.flush();
        }
    }
}
