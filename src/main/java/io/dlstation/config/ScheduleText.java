package io.dlstation.config;

import io.dlstation.maintain.task.CronSchedule;
import java.util.Locale;

/** A task's {@code schedule:}: a Unix cron expression, or {@code manual} for a task run only by hand. */
final class ScheduleText {
    static final String MANUAL = "manual";

    private ScheduleText() {}

    static void check(String text) {
        parse(text);
    }

    /** The schedule, or null for {@code manual}. */
    static CronSchedule parse(String text) {
        return MANUAL.equals(text.strip().toLowerCase(Locale.ROOT)) ? null : CronSchedule.parse(text);
    }
}
