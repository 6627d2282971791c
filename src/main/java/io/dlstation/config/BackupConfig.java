package io.dlstation.config;

import io.dlstation.error.DlstationException;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.maintain.task.CronSchedule;
import java.nio.file.Path;
import java.util.List;

/**
 * One backup task under {@code maintenance.backup.NAME}.
 *
 * @param sources absolute folders (or files) to copy; each lands under {@code data/LABEL}, LABEL its name
 * @param destination the absolute folder that holds the backups, outside every source
 * @param name backups are folders {@code NAME-yyyyMMddTHHmmssZ}; default the task's name
 * @param keep keep the newest this many complete backups of this name; default all
 * @param verify read every copy back and check its SHA-256 before the backup is renamed into place; default true
 * @param schedule a Unix cron expression, or {@code manual}; default {@value CronSchedule#SUNDAYS_AT_3}
 */
public record BackupConfig(List<Path> sources, Path destination, String name, Integer keep, Boolean verify,
        String schedule) {

    public BackupConfig {
        if (sources == null || sources.isEmpty()) {
            throw DlstationException.badInput("sources is missing; list what to back up, e.g. sources: [/data/models]");
        }
        sources = sources.stream().map(s -> PathGuard.requirePlain("sources:", s)).toList();
        if (destination == null) {
            throw DlstationException.badInput("destination is missing; name the folder that holds the backups");
        }
        destination = PathGuard.requirePlain("destination", destination);
        schedule = schedule == null ? CronSchedule.SUNDAYS_AT_3 : schedule;
        ScheduleText.check(schedule);
        new BackupTask("check", sources, destination, name == null ? "check" : name, keep, true, null);
    }

    BackupTask toTask(String taskName) {
        return new BackupTask(taskName, sources, destination, name, keep, verify == null || verify,
                ScheduleText.parse(schedule));
    }
}
