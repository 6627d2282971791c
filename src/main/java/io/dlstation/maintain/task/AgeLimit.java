package io.dlstation.maintain.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dlstation.error.DlstationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How old a file may get, as the user writes it: {@code 30d}, {@code 12h}, {@code 90m}, {@code 2w}
 * (or ISO-8601, {@code P30D}). Age is measured from a file's last-modified time.
 *
 * @param duration the age, zero or more
 */
public record AgeLimit(Duration duration) {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([smhdw])");

    public AgeLimit {
        if (duration == null || duration.isNegative()) {
            throw DlstationException.badInput("age < 0: " + duration);
        }
    }

    /** Parses {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, {@code 2w} or ISO-8601 ({@code P30D}). */
    @JsonCreator
    public static AgeLimit parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = FORM.matcher(value);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                Duration unit = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(1);
                    case "m" -> Duration.ofMinutes(1);
                    case "h" -> Duration.ofHours(1);
                    case "d" -> Duration.ofDays(1);
                    default -> Duration.ofDays(7);
                };
                return new AgeLimit(unit.multipliedBy(n));
            }
            if (value.startsWith("p")) {
                return new AgeLimit(Duration.parse(value.toUpperCase(Locale.ROOT)));
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            // fall through to the message below
        }
        throw DlstationException.badInput("age '" + text + "' is not an age; write a whole number and a unit: "
                + "30d, 12h, 90m, 45s, 2w (or ISO-8601 such as P30D)");
    }

    /** Whether this limit is zero: every matching file would be old enough to delete. */
    public boolean isZero() {
        return duration.isZero();
    }

    /** An age for people, rounded down: {@code 41d}, {@code 5h}, {@code 12m}, {@code 30s}. */
    public static String describe(Duration age) {
        long s = Math.max(0, age.getSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d";
        }
        if (s >= 3600) {
            return s / 3600 + "h";
        }
        return s >= 60 ? s / 60 + "m" : s + "s";
    }

    /** The shortest form {@link #parse} reads back: {@code 30d}, {@code 2w}, {@code 36h}. */
    @JsonValue
    @Override
    public String toString() {
        long s = duration.getSeconds();
        if (s == 0) {
            return "0d";
        }
        if (s % (7 * 86_400) == 0) {
            return s / (7 * 86_400) + "w";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
