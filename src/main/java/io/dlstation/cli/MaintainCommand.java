package io.dlstation.cli;

import io.dlstation.config.DlstationConfig;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.FileCopier;
import io.dlstation.maintain.MaintainJson;
import io.dlstation.maintain.MaintenanceRuns;
import io.dlstation.maintain.Outcome;
import io.dlstation.maintain.RunLog;
import io.dlstation.maintain.StatusStore;
import io.dlstation.maintain.TaskCheck;
import io.dlstation.maintain.TaskReport;
import io.dlstation.maintain.TaskRunner;
import io.dlstation.maintain.task.AgeLimit;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.maintain.task.ByteSize;
import io.dlstation.maintain.task.MaintenanceTask;
import io.dlstation.maintain.task.RetentionTask;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlstation maintain list|run|clean|backup|restore|verify|daemon|status}: wiring only. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = "Retention (delete old files), verified backups and restore, on cron schedules or by hand.",
        subcommands = {MaintainCommand.ListTasks.class, MaintainCommand.Run.class, MaintainCommand.Clean.class,
            MaintainCommand.Backup.class, MaintainBackupCommands.Restore.class, MaintainBackupCommands.Verify.class,
            MaintainDaemonCommand.class, MaintainStatusCommand.class},
        footer = {"", "Tasks live in dlstation.yaml under maintenance: (see docs/MAINTAIN.md).",
            "Exit codes: 0 ok, 1 a task failed or a backup does not verify, 2 bad usage or input (nothing touched)."})
final class MaintainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw DlstationException.badInput("maintain needs a verb: list, run, clean, backup, restore, verify, daemon "
                + "or status ('dlstation maintain --help')");
    }

    /** The verb for {@code type} wired to {@code context}, or null when {@code type} is not one of these verbs. */
    static Object verb(Class<?> type, CliContext context) {
        if (type == ListTasks.class) {
            return new ListTasks(context);
        } else if (type == Run.class) {
            return new Run(context);
        } else if (type == Clean.class) {
            return new Clean(context);
        } else if (type == Backup.class) {
            return new Backup(context);
        } else if (type == MaintainBackupCommands.Restore.class) {
            return new MaintainBackupCommands.Restore(context);
        } else if (type == MaintainBackupCommands.Verify.class) {
            return new MaintainBackupCommands.Verify(context);
        } else if (type == MaintainDaemonCommand.class) {
            return new MaintainDaemonCommand(context);
        } else if (type == MaintainStatusCommand.class) {
            return new MaintainStatusCommand(context);
        }
        return null;
    }

    /** What every maintain verb has: the context, --json and the output. */
    abstract static class Verb implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        final CliContext context;

        Verb(CliContext context) {
            this.context = context;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        PathGuard guard() {
            return PathGuard.forUser(context.env());
        }

        Path resolve(Path path) {
            return context.workDir().resolve(path).normalize();
        }

        /** The paths given on the command line, resolved; one that does not exist is an error (exit 2). */
        List<Path> existing(List<Path> given, String label) {
            List<Path> resolved = new ArrayList<>();
            for (Path p : given) {
                Path r = resolve(p);
                if (!java.nio.file.Files.exists(r)) {
                    throw new DlstationException(ErrorCode.NOT_FOUND, label + " " + p + " does not exist");
                }
                resolved.add(r);
            }
            return resolved;
        }

        void printJson(Object value) {
            out().println(MaintainJson.write(value));
            out().flush();
        }
    }

    /** A verb that reads dlstation.yaml and keeps state: --config and --state-dir. */
    abstract static class Configured extends Verb {
        @Mixin
        CommonOptions common;

        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "Where the status file and run log go (default: maintenance.state_dir, else "
                        + "$XDG_STATE_HOME/dlstation, else ~/.local/state/dlstation).")
        Path stateDir;

        Configured(CliContext context) {
            super(context);
        }

        DlstationConfig config() {
            return common.load(context);
        }

        Path stateFolder(DlstationConfig config) {
            if (stateDir != null) {
                return resolve(stateDir);
            }
            if (config.maintenance().stateDir() != null) {
                return config.maintenance().stateDir();
            }
            String xdg = context.env().get("XDG_STATE_HOME");
            if (xdg != null && Path.of(xdg).isAbsolute()) {
                return Path.of(xdg, "dlstation");
            }
            String home = context.env().getOrDefault("HOME", System.getProperty("user.home"));
            return Path.of(home, ".local", "state", "dlstation");
        }

        /** Every configured task, checked against the file system; bad input touches nothing. */
        List<MaintenanceTask> configuredTasks(DlstationConfig config, boolean force) {
            List<MaintenanceTask> tasks = config.maintenance().tasks();
            new TaskCheck(guard()).check(tasks, force);
            return tasks;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The configured tasks, what they do and their next run times.")
    static final class ListTasks extends Configured {
        @Option(names = "--count", defaultValue = "3", paramLabel = "N", description = "Next run times per task (default ${DEFAULT-VALUE}).")
        int count;

        ListTasks(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            if (count < 1) {
                throw DlstationException.badInput("--count " + count + " < 1");
            }
            List<MaintenanceTask> tasks = configuredTasks(config(), true);
            if (json) {
                printJson(MaintainOutput.fields("schema", 1, "tasks", tasks.stream().map(t -> MaintainOutput.taskJson(t,
                        MaintainOutput.nextRuns(t, context.clock(), count))).toList()));
            } else {
                MaintainOutput.printTasks(out(), tasks, context.clock(), count);
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run configured tasks now (all, or those named), or with --dry-run list what they would do.")
    static final class Run extends Configured {
        @Parameters(paramLabel = "TASK", arity = "0..*", description = "Tasks to run (default: all configured tasks).")
        List<String> names = new ArrayList<>();

        @Option(names = "--dry-run", description = "List every file that would be deleted or copied; change nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Allow a retention of max_age 0d (every matching file goes).")
        boolean force;

        @Option(names = {"-v", "--verbose"}, description = "Also print every file a backup copies.")
        boolean verbose;

        Run(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            DlstationConfig config = config();
            List<MaintenanceTask> all = configuredTasks(config, force);
            if (all.isEmpty()) {
                throw DlstationException.badInput("no maintenance tasks are configured; add a maintenance: section to "
                        + "dlstation.yaml (docs/MAINTAIN.md), or use 'maintain clean' / 'maintain backup'");
            }
            List<MaintenanceTask> chosen = select(all);
            Path state = stateFolder(config);
            RunLog log = new RunLog(state);
            MaintenanceRuns runs = new MaintenanceRuns(new TaskRunner(guard(), context.clock(), FileCopier.hashing()),
                    log, new StatusStore(state), context.clock(), err());
            List<TaskReport> reports = new ArrayList<>();
            for (MaintenanceTask task : chosen) {
                reports.add(runs.runNow(task, dryRun, json ? e -> { } : MaintainOutput.printer(out(), verbose)));
                if (!json) {
                    MaintainOutput.printSummary(out(), reports.getLast());
                }
            }
            return finish(this, reports, dryRun, log);
        }

        private List<MaintenanceTask> select(List<MaintenanceTask> all) {
            if (names.isEmpty()) {
                return all;
            }
            Map<String, MaintenanceTask> byName = new LinkedHashMap<>();
            all.forEach(t -> byName.put(t.name(), t));
            List<MaintenanceTask> chosen = new ArrayList<>();
            for (String name : names) {
                MaintenanceTask task = byName.get(name);
                if (task == null) {
                    throw DlstationException.badInput("no task named '" + name + "'; configured: "
                            + String.join(", ", byName.keySet()));
                }
                if (!chosen.contains(task)) {
                    chosen.add(task);
                }
            }
            return chosen;
        }
    }

    /** Prints the JSON report or the failures, and turns the outcomes into the exit code. */
    static int finish(Verb verb, List<TaskReport> reports, boolean dryRun, RunLog log) {
        if (verb.json) {
            verb.printJson(MaintainOutput.fields("schema", 1, "dry_run", dryRun, "tasks", reports));
        }
        boolean failed = false;
        for (TaskReport r : reports) {
            if (r.outcome() == Outcome.FAILED) {
                failed = true;
                verb.err().println("dlstation: task '" + r.task() + "' failed: " + (r.error() != null ? r.error() : r.summary()));
            } else if (r.outcome() == Outcome.WARNING) {
                verb.err().println("dlstation: task '" + r.task() + "': " + String.join("; ", r.warnings()));
            }
        }
        if (log != null && log.lastError() != null) {
            verb.err().println("dlstation: the run log was not written: " + log.lastError());
        }
        verb.err().flush();
        return failed ? ErrorCode.INTERNAL.exitCode() : 0;
    }

    @Command(name = "clean", mixinStandardHelpOptions = true,
            description = "Delete old files under folders now, without a config: by age, count or total size.")
    static final class Clean extends Configured {
        @Parameters(paramLabel = "DIR", arity = "1..*", description = "Folders to clean (at any depth).")
        List<Path> folders;

        @Option(names = "--max-age", paramLabel = "AGE", description = "Delete files older than this: 30d, 12h, 2w.")
        String maxAge;

        @Option(names = "--max-size", paramLabel = "SIZE", description = "Delete the oldest files until the rest fit: 10G, 500M.")
        String maxSize;

        @Option(names = "--max-count", paramLabel = "N", description = "Keep at most the newest N files.")
        Integer maxCount;

        @Option(names = "--keep", paramLabel = "N", defaultValue = "0", description = "Always keep the newest N files (default ${DEFAULT-VALUE}).")
        int keep;

        @Option(names = "--glob", paramLabel = "GLOB", defaultValue = "*",
                description = "Which files: by name ('*.log') or, with a '/', by path under DIR (default: all).")
        String glob;

        @Option(names = "--dry-run", description = "List every file that would be deleted; change nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Allow --max-age 0d (every matching file goes, but --keep).")
        boolean force;

        Clean(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            if (maxAge == null && maxSize == null && maxCount == null) {
                throw DlstationException.badInput("clean needs a limit: --max-age 30d, --max-size 10G or --max-count N");
            }
            RetentionTask task = new RetentionTask("clean", existing(folders, "DIR"), glob,
                    maxAge == null ? null : AgeLimit.parse(maxAge), maxCount,
                    maxSize == null ? null : ByteSize.parse(maxSize), keep, null);
            return runAdHoc(this, task, dryRun, force, false);
        }
    }

    /** Runs a task given on the command line: checked, run, logged to the run log (not the status). */
    static int runAdHoc(Configured verb, MaintenanceTask task, boolean dryRun, boolean force, boolean verbose) {
        new TaskCheck(verb.guard()).check(List.of(task), force);
        DlstationConfig config = verb.config();
        RunLog log = dryRun ? null : new RunLog(verb.stateFolder(config));
        TaskRunner runner = new TaskRunner(verb.guard(), verb.context.clock(), FileCopier.hashing());
        var printer = verb.json ? (io.dlstation.maintain.RunListener) e -> { } : MaintainOutput.printer(verb.out(), verbose);
        TaskReport report;
        if (log == null) {
            report = runner.run(task, true, printer);
        } else {
            log.started(verb.context.clock().instant().toString(), task.name(), "manual", null);
            report = runner.run(task, false, log.and(printer));
            log.finished(report);
        }
        if (!verb.json) {
            MaintainOutput.printSummary(verb.out(), report);
        }
        return finish(verb, List.of(report), dryRun, log);
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Back up folders now, without a config: a new verified, timestamped folder under --to.")
    static final class Backup extends Configured {
        @Parameters(paramLabel = "SRC", arity = "1..*", description = "Folders (or files) to back up.")
        List<Path> sources;

        @Option(names = "--to", required = true, paramLabel = "DEST", description = "The folder that holds the backups.")
        Path destination;

        @Option(names = "--keep", paramLabel = "N", description = "Keep the newest N backups of this name in DEST (default: all).")
        Integer keep;

        @Option(names = "--name", paramLabel = "NAME", description = "Backups are DEST/NAME-TIMESTAMP (default: the first SRC's name).")
        String name;

        @Option(names = "--no-verify", negatable = false, description = "Do not read the copies back before the rename.")
        boolean noVerify;

        @Option(names = "--dry-run", description = "List every file that would be copied and every backup pruned; change nothing.")
        boolean dryRun;

        @Option(names = {"-v", "--verbose"}, description = "Print every file copied.")
        boolean verbose;

        Backup(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            List<Path> resolved = existing(sources, "SRC");
            Path first = resolved.getFirst().getFileName();
            String prefix = name != null ? name : first == null ? "backup" : first.toString();
            BackupTask task = new BackupTask(prefix, resolved, resolve(destination), prefix, keep, !noVerify, null);
            return runAdHoc(this, task, dryRun, false, verbose);
        }
    }
}
