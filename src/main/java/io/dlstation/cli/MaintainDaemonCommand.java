package io.dlstation.cli;

import io.dlstation.config.DlstationConfig;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.maintain.FileCopier;
import io.dlstation.maintain.MaintenanceDaemon;
import io.dlstation.maintain.MaintenanceRuns;
import io.dlstation.maintain.MaintenanceScheduler;
import io.dlstation.maintain.MaintenanceStatus;
import io.dlstation.maintain.RunLog;
import io.dlstation.maintain.StatusStore;
import io.dlstation.maintain.TaskRunner;
import io.dlstation.maintain.task.MaintenanceTask;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dlstation maintain daemon}: runs the configured tasks on their schedules until stopped. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run the configured tasks on their cron schedules until stopped (SIGTERM or Ctrl-C). "
                + "Slots missed while the machine slept or was off run once, not once per slot.")
final class MaintainDaemonCommand extends MaintainCommand.Configured {
    /** How long a stop waits for the task in progress to reach a point where it can stop cleanly. */
    private static final long STOP_WAIT_SECONDS = 60;

    @Option(names = "--force", description = "Allow retention tasks with max_age 0d.")
    boolean force;

    MaintainDaemonCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        DlstationConfig config = config();
        List<MaintenanceTask> tasks = configuredTasks(config, force);
        if (tasks.stream().noneMatch(t -> t.schedule().isPresent())) {
            throw DlstationException.badInput("no maintenance task has a schedule; add tasks to the maintenance: section "
                    + "of dlstation.yaml (docs/MAINTAIN.md)");
        }
        StatusStore store = new StatusStore(stateFolder(config));
        PrintWriter out = out();
        Closeable lock;
        try {
            lock = store.lockDaemon();
        } catch (IOException e) {
            throw stateFolderProblem(store, e);
        }
        try {
            MaintenanceScheduler scheduler = new MaintenanceScheduler(tasks, context.clock(), lastSlots(store));
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("dlstation-maintain").factory());
            RunLog log = new RunLog(store.folder());
            MaintenanceRuns runs = new MaintenanceRuns(new TaskRunner(guard(), context.clock(), FileCopier.hashing()),
                    log, store, context.clock(), err());
            MaintenanceDaemon daemon = new MaintenanceDaemon(scheduler, runs, executor, context.clock(),
                    MaintainOutput.printer(out, false), line -> say(out, line));
            Thread hook = new Thread(() -> {
                say(out, "stopping: waiting for the task in progress");
                daemon.stop();
                try {
                    executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                daemon.recordStop();
                say(out, "stopped");
            }, "dlstation-maintain-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            say(out, "daemon started (pid " + ProcessHandle.current().pid() + "), state in " + store.folder()
                    + ", times in " + context.clock().getZone());
            daemon.start();
            while (!executor.awaitTermination(1, TimeUnit.DAYS)) {
                // runs until the shutdown hook stops it
            }
            return 0;
        } catch (IOException e) {
            throw stateFolderProblem(store, e);
        } finally {
            lock.close();
        }
    }

    private static DlstationException stateFolderProblem(StatusStore store, IOException e) {
        return new DlstationException(ErrorCode.INTERNAL, "the daemon cannot use its state folder " + store.folder()
                + ": " + e.getMessage() + " (set maintenance.state_dir or --state-dir to a folder it may write)", e);
    }

    private static Map<String, Instant> lastSlots(StatusStore store) throws IOException {
        Map<String, Instant> slots = new HashMap<>();
        MaintenanceStatus status = store.read();
        status.tasks().forEach((name, state) -> {
            try {
                if (state.lastSlot() != null) {
                    slots.put(name, Instant.parse(state.lastSlot()));
                }
            } catch (DateTimeParseException e) {
                // counted from now
            }
        });
        return slots;
    }

    private void say(PrintWriter out, String line) {
        synchronized (out) {
            out.println(context.clock().instant() + " " + line);
            out.flush();
        }
    }
}
