package io.dlstation.maintain.task;

import io.dlstation.error.DlstationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Copies some folders (or files) into a new, timestamped, verified folder under a destination, then keeps
 * only the last few backups of this name there.
 *
 * @param name the task's name
 * @param sources what to copy; each lands under {@code data/LABEL} in the backup, LABEL being its file name
 * @param destination the folder that holds the backups
 * @param prefix backups are named {@code PREFIX-yyyyMMddTHHmmssZ}
 * @param keep how many complete backups of this prefix to keep in the destination; null keeps all
 * @param verify whether every copied file is read again and checked against the manifest before the backup is
 *     renamed into place
 * @param cron when the daemon runs it; null for by hand only
 */
public record BackupTask(String name, List<Path> sources, Path destination, String prefix, Integer keep,
        boolean verify, CronSchedule cron) implements MaintenanceTask {

    public BackupTask {
        MaintenanceTask.checkName(name);
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw DlstationException.badInput("no sources to back up");
        }
        if (destination == null) {
            throw DlstationException.badInput("no destination (--to)");
        }
        prefix = MaintenanceTask.checkName(prefix == null ? name : prefix);
        if (keep != null && keep < 1) {
            throw DlstationException.badInput("keep " + keep + " < 1: a backup task keeps at least "
                    + "the backup it just made (leave keep out to keep all)");
        }
    }

    @Override
    public String kind() {
        return "backup";
    }

    @Override
    public Optional<CronSchedule> schedule() {
        return Optional.ofNullable(cron);
    }
}
