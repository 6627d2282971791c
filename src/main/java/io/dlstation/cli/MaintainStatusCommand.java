package io.dlstation.cli;

import io.dlstation.config.DlstationConfig;
import io.dlstation.error.ErrorCode;
import io.dlstation.maintain.MaintenanceStatus;
import io.dlstation.maintain.Outcome;
import io.dlstation.maintain.StatusStore;
import io.dlstation.maintain.task.MaintenanceTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dlstation maintain status}: the daemon's heartbeat and each task's last and next run. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "The daemon's heartbeat and each task's last run and next run.")
final class MaintainStatusCommand extends MaintainCommand.Configured {
    @Option(names = "--check", description = "Exit 1 when a task's last run failed or no daemon is running (for monitoring).")
    boolean check;

    MaintainStatusCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        DlstationConfig config = config();
        StatusStore store = new StatusStore(stateFolder(config));
        MaintenanceStatus status;
        try {
            status = store.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<MaintenanceTask> tasks = config.maintenance().tasks();
        if (json) {
            printJson(status);
        } else {
            MaintainOutput.printStatus(out(), store.file(), status, tasks, context.clock());
        }
        if (!check) {
            return 0;
        }
        boolean failed = status.tasks().values().stream()
                .anyMatch(t -> t.lastRun() != null && t.lastRun().outcome() == Outcome.FAILED);
        return failed || !MaintainOutput.daemonAlive(status, context.clock()) ? ErrorCode.INTERNAL.exitCode() : 0;
    }
}
