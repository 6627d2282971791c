package io.dlstation.maintain.task;

import java.util.Optional;
import java.util.regex.Pattern;

/** One named piece of upkeep: a {@link RetentionTask} or a {@link BackupTask}. */
public sealed interface MaintenanceTask permits RetentionTask, BackupTask {
    /** What a task name may hold: it names files (locks, backups) and appears in logs. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The task's name, unique within a configuration. */
    String name();

    /** {@code retention} or {@code backup}. */
    String kind();

    /** When the daemon runs it; empty for a task that only runs by hand. */
    Optional<CronSchedule> schedule();

    /** Checks a task name, naming the rule when it is broken. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw io.dlstation.error.DlstationException.badInput("task name '" + name + "' is not usable; use letters, "
                    + "digits, '.', '_' and '-' (at most 64, not starting with '.', '_' or '-')");
        }
        return name;
    }
}
