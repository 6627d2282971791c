package io.dlstation.maintain.task;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dlstation.error.DlstationException;
import io.dlstation.error.InternalNames;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Unix cron expression (five fields: minute, hour, day of month, month, day of week; Sunday is 0 or 7),
 * or one of the nicknames {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly},
 * {@code @yearly}. Times are wall-clock times in the zone the caller passes, usually the machine's.
 */
public final class CronSchedule {
    /** The seed's schedule for log retention: daily at 02:00. */
    public static final String DAILY_AT_2 = "0 2 * * *";
    /** The seed's schedule for backups: Sundays at 03:00. */
    public static final String SUNDAYS_AT_3 = "0 3 * * 0";

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> NICKNAMES = Map.of(
            "@hourly", "0 * * * *", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0",
            "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *");

    private final String expression;
    private final ExecutionTime time;

    private CronSchedule(String expression, ExecutionTime time) {
        this.expression = expression;
        this.time = time;
    }

    /** Parses a Unix cron expression; a bad one is an error that quotes it and shows the form. */
    @JsonCreator
    public static CronSchedule parse(String text) {
        String value = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        String fields = NICKNAMES.getOrDefault(value.toLowerCase(Locale.ROOT), value);
        if (fields.isEmpty()) {
            throw DlstationException.badInput("schedule is empty; write a Unix cron expression such as '"
                    + DAILY_AT_2 + "' (daily at 02:00)");
        }
        ExecutionTime time;
        try {
            Cron cron = PARSER.parse(fields);
            cron.validate();
            time = ExecutionTime.forCron(cron);
        } catch (RuntimeException e) { // the parser's own messages: IllegalArgumentException and kin
            String said = InternalNames.firstLineOr(e.getMessage(), null);
            String why = said == null ? "" : " (" + said + ")";
            throw DlstationException.badInput("schedule '" + text + "' is not a Unix cron expression" + why
                    + "; write five fields, minute hour day-of-month month day-of-week, e.g. '"
                    + SUNDAYS_AT_3 + "' for Sundays at 03:00");
        }
        CronSchedule schedule = new CronSchedule(value, time);
        // an expression such as "0 2 30 2 *" (February 30th) parses but never fires
        if (schedule.next(Instant.parse("2000-01-01T00:00:00Z"), ZoneOffset.UTC).isEmpty()) {
            throw DlstationException.badInput("schedule '" + text + "' never fires; check the day and month fields");
        }
        return schedule;
    }

    /** The first time this schedule fires strictly after {@code after}, in {@code zone}'s wall-clock time. */
    public Optional<Instant> next(Instant after, ZoneId zone) {
        return time.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }

    /** The last time this schedule fired at or before {@code at}. */
    public Optional<Instant> latestAtOrBefore(Instant at, ZoneId zone) {
        // slots are whole minutes, and the library's look-back is strict
        ZonedDateTime justAfter = ZonedDateTime.ofInstant(at, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        return time.lastExecution(justAfter).map(ZonedDateTime::toInstant).filter(t -> !t.isAfter(at));
    }

    /** The expression as written (nicknames kept). */
    @JsonValue
    public String expression() {
        return expression;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule other && other.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
