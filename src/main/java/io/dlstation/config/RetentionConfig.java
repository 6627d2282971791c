package io.dlstation.config;

import io.dlstation.error.DlstationException;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.AgeLimit;
import io.dlstation.maintain.task.ByteSize;
import io.dlstation.maintain.task.CronSchedule;
import io.dlstation.maintain.task.RetentionTask;
import java.nio.file.Path;
import java.util.List;

/**
 * One retention task under {@code maintenance.retention.NAME}.
 *
 * @param folders absolute folders to clean (at any depth); nothing outside them is deleted
 * @param glob which files, by name ({@code *.log}) or, with a '/', by path under the folder; default all
 * @param maxAge delete files older than this ({@code 30d}); 0d needs {@code --force}
 * @param maxCount keep at most this many files, the newest
 * @param maxTotalSize delete the oldest files until the rest fit ({@code 50G})
 * @param keepNewest keep at least this many of the newest files whatever the limits say; default 0
 * @param schedule a Unix cron expression, or {@code manual}; default {@value CronSchedule#DAILY_AT_2}
 */
public record RetentionConfig(List<Path> folders, String glob, AgeLimit maxAge, Integer maxCount, ByteSize maxTotalSize,
        Integer keepNewest, String schedule) {

    public RetentionConfig {
        if (folders == null || folders.isEmpty()) {
            throw DlstationException.badInput("folders is missing; list the folders to clean, e.g. folders: [/data/logs]");
        }
        folders = folders.stream().map(f -> PathGuard.requirePlain("folders:", f)).toList();
        schedule = schedule == null ? CronSchedule.DAILY_AT_2 : schedule;
        ScheduleText.check(schedule);
        // the task's own checks (a limit given, counts in range, the glob) with the task's messages
        new RetentionTask("check", folders, glob, maxAge, maxCount, maxTotalSize, keepNewest == null ? 0 : keepNewest,
                null);
    }

    RetentionTask toTask(String name) {
        return new RetentionTask(name, folders, glob, maxAge, maxCount, maxTotalSize, keepNewest == null ? 0 : keepNewest,
                ScheduleText.parse(schedule));
    }
}
