package io.dlstation.cli;

import io.dlstation.maintain.BackupRestorer;
import io.dlstation.maintain.MaintenanceStatus;
import io.dlstation.maintain.RunEvent;
import io.dlstation.maintain.RunListener;
import io.dlstation.maintain.TaskReport;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.maintain.task.ByteSize;
import io.dlstation.maintain.task.MaintenanceTask;
import io.dlstation.maintain.task.RetentionTask;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** How {@code dlstation maintain} prints tasks, events, reports and status for people. */
final class MaintainOutput {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ROOT);
    /** A daemon whose heartbeat is older than this is taken for dead (it beats at least once a minute). */
    private static final Duration HEARTBEAT = Duration.ofMinutes(3);

    private MaintainOutput() {}

    /** Prints each event as a line as it happens; copies only when {@code verbose}. */
    static RunListener printer(PrintWriter out, boolean verbose) {
        return event -> {
            if (event.action().equals(RunEvent.COPIED) && !verbose) {
                return;
            }
            synchronized (out) {
                out.println(line(event));
                out.flush();
            }
        };
    }

    static String line(RunEvent e) {
        String verb = e.action().replace('_', ' ');
        String what = e.path() == null ? "" : " " + e.path();
        String size = e.bytes() == null ? "" : " (" + ByteSize.format(e.bytes()) + ")";
        String detail = e.detail() == null ? "" : switch (e.action()) {
            case RunEvent.COPIED, RunEvent.WOULD_COPY -> " -> " + e.detail();
            default -> ": " + e.detail();
        };
        return "  " + e.task() + ": " + verb + what + size + detail;
    }

    static void printSummary(PrintWriter out, TaskReport r) {
        out.println(r.task() + (r.dryRun() ? " (dry run, nothing changed)" : "") + ": " + r.outcome().label() + ": "
                + r.summary());
        out.flush();
    }

    /** A JSON object with its fields in the order given: {@code fields("a", 1, "b", 2)}. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    static List<Instant> nextRuns(MaintenanceTask task, Clock clock, int count) {
        List<Instant> runs = new ArrayList<>();
        Optional<Instant> next = Optional.of(clock.instant());
        while (task.schedule().isPresent() && runs.size() < count) {
            next = task.schedule().get().next(next.get(), clock.getZone());
            if (next.isEmpty()) {
                break;
            }
            runs.add(next.get());
        }
        return runs;
    }

    static Map<String, Object> taskJson(MaintenanceTask task, List<Instant> next) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", task.name());
        m.put("kind", task.kind());
        m.put("schedule", task.schedule().map(Object::toString).orElse("manual"));
        m.put("next_runs", next.stream().map(Instant::toString).toList());
        switch (task) {
            case RetentionTask r -> {
                m.put("folders", r.folders().stream().map(Path::toString).toList());
                m.put("glob", r.glob());
                m.put("max_age", r.maxAge() == null ? null : r.maxAge().toString());
                m.put("max_count", r.maxCount());
                m.put("max_total_size", r.maxTotalSize() == null ? null : r.maxTotalSize().toString());
                m.put("keep_newest", r.keepNewest());
            }
            case BackupTask b -> {
                m.put("sources", b.sources().stream().map(Path::toString).toList());
                m.put("destination", b.destination().toString());
                m.put("backup_name", b.prefix());
                m.put("keep", b.keep());
                m.put("verify", b.verify());
            }
        }
        return m;
    }

    static void printTasks(PrintWriter out, List<MaintenanceTask> tasks, Clock clock, int count) {
        if (tasks.isEmpty()) {
            out.println("No maintenance tasks configured (dlstation.yaml, section maintenance:; see docs/MAINTAIN.md).");
            out.flush();
            return;
        }
        out.println("Times in " + clock.getZone() + ".");
        for (MaintenanceTask task : tasks) {
            out.println();
            out.println(task.name() + " (" + task.kind() + "): " + describe(task));
            String schedule = task.schedule().map(s -> "'" + s + "'").orElse("manual (run by hand only)");
            List<Instant> next = nextRuns(task, clock, count);
            out.println("  schedule " + schedule + (next.isEmpty() ? "" : "; next: "
                    + next.stream().map(t -> WHEN.format(t.atZone(clock.getZone()))).collect(Collectors.joining(", "))));
        }
        out.flush();
    }

    private static String describe(MaintenanceTask task) {
        return switch (task) {
            case RetentionTask r -> "in " + r.folders().stream().map(Path::toString).collect(Collectors.joining(", "))
                    + " delete " + r.describeLimits();
            case BackupTask b -> b.sources().stream().map(Path::toString).collect(Collectors.joining(", ")) + " -> "
                    + b.destination() + "/" + b.prefix() + "-TIMESTAMP" + (b.keep() == null ? ", keeping all"
                    : ", keeping the last " + b.keep()) + (b.verify() ? ", verified" : ", not verified");
        };
    }

    static void printRestore(PrintWriter out, BackupRestorer.RestoreResult r) {
        if (r.dryRun()) {
            r.paths().forEach(p -> out.println("  would restore " + r.target().resolve(p)));
            out.printf("would restore %d files (%s) from %s into %s; nothing changed%n", r.files(),
                    ByteSize.format(r.bytes()), r.backup(), r.target());
        } else {
            out.printf("restored %d files (%s) from %s into %s; every file checked against the manifest%n", r.files(),
                    ByteSize.format(r.bytes()), r.backup(), r.target());
        }
        out.flush();
    }

    static boolean daemonAlive(MaintenanceStatus status, Clock clock) {
        MaintenanceStatus.Daemon d = status.daemon();
        if (d == null || d.stopped() != null || d.heartbeat() == null) {
            return false;
        }
        boolean recent = Duration.between(Instant.parse(d.heartbeat()), clock.instant()).compareTo(HEARTBEAT) <= 0;
        return recent && ProcessHandle.of(d.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    static void printStatus(PrintWriter out, Path file, MaintenanceStatus status, List<MaintenanceTask> configured,
            Clock clock) {
        MaintenanceStatus.Daemon d = status.daemon();
        if (d == null) {
            out.println("daemon: none has run with " + file);
        } else if (daemonAlive(status, clock)) {
            out.println("daemon: running, pid " + d.pid() + ", since " + local(d.started(), clock) + ", last heartbeat "
                    + local(d.heartbeat(), clock));
        } else {
            out.println("daemon: not running (pid " + d.pid() + ", last heartbeat " + local(d.heartbeat(), clock)
                    + (d.stopped() != null ? ", stopped " + local(d.stopped(), clock) : ", no clean stop recorded") + ")");
        }
        List<String> names = new ArrayList<>(status.tasks().keySet());
        configured.stream().map(MaintenanceTask::name).filter(n -> !names.contains(n)).forEach(names::add);
        for (String name : names) {
            MaintenanceStatus.TaskState t = status.tasks().get(name);
            out.println();
            if (t == null) {
                out.println(name + ": never run");
                continue;
            }
            out.println(name + " (" + t.kind() + ", schedule " + (t.schedule() == null ? "manual" : "'" + t.schedule()
                    + "'") + ")");
            MaintenanceStatus.LastRun run = t.lastRun();
            if (run == null) {
                out.println("  last run: never");
            } else {
                out.println("  last run: " + local(run.started(), clock) + " (" + run.trigger()
                        + (run.missedSlots() > 0 ? ", " + run.missedSlots() + " missed slot(s) folded in" : "") + "): "
                        + run.outcome().label() + ": " + run.summary());
                run.warnings().forEach(w -> out.println("    warning: " + w));
            }
            if (t.lastSuccess() != null) {
                out.println("  last success: " + local(t.lastSuccess(), clock));
            }
            if (t.nextRun() != null) {
                out.println("  next run: " + local(t.nextRun(), clock) + (daemonAlive(status, clock) ? ""
                        : " (if the daemon runs)"));
            }
        }
        out.flush();
    }

    private static String local(String iso, Clock clock) {
        if (iso == null) {
            return "unknown";
        }
        return WHEN.format(Instant.parse(iso).atZone(clock.getZone()));
    }
}
