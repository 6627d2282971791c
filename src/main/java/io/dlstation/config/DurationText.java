package io.dlstation.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in YAML and on the command line: {@code 500ms}, {@code 5s},
 * {@code 1m}, {@code 2h}, {@code 1d} (a number, then a unit). A sign is accepted so that a negative
 * value reaches the check that names its field, instead of failing as unreadable.
 */
public final class DurationText {
    private static final Pattern FORM = Pattern.compile("([+-]?\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

    private DurationText() {}

    /**
     * Parses {@code text}; {@code field} names the flag or config field in the error, e.g.
     * {@code "--interval"} (null: the caller names it).
     */
    public static Duration parse(String text, String field) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw DlstationException.badInput((field == null ? "" : field + " ") + "'" + text
                    + "' is not a duration; write a number and a unit: "
                    + "500ms, 5s, 1m, 2h or 1d");
        }
        double amount = Double.parseDouble(m.group(1));
        long millisPerUnit = switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        return Duration.ofMillis(Math.round(amount * millisPerUnit));
    }

    /** The shortest exact spelling: 1m, 90s, 500ms. */
    public static String format(Duration duration) {
        long ms = duration.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }

    /** Reads a duration field of dlstation.yaml; a bad one fails at its own line with the accepted forms. */
    static class Deserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p); // a list or mapping: what it takes
            }
            String text = p.getText();
            try {
                Duration duration = parse(text, null);
                check(duration);
                return duration;
            } catch (DlstationException e) {
                InvalidFormatException invalid = new InvalidFormatException(p, e.getMessage(), text, Duration.class);
                invalid.initCause(e); // the message for the user is ours
                throw invalid;
            }
        }

        /** Refuses a value out of range; any duration by default. */
        void check(Duration duration) {}
    }

    /** A duration field that must be more than zero (an interval, a timeout). */
    static final class Positive extends Deserializer {
        @Override
        void check(Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw DlstationException.badInput(format(duration) + " must be positive, e.g. 5s or 500ms");
            }
        }
    }

    /** A duration field that may be zero but not negative (a rule's {@code for}). */
    static final class NonNegative extends Deserializer {
        @Override
        void check(Duration duration) {
            if (duration.isNegative()) {
                throw DlstationException.badInput(format(duration) + " is negative; use 0s or more");
            }
        }
    }
}
