package io.dlstation.maintain.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dlstation.error.DlstationException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of disk space as the user writes it: {@code 10G}, {@code 500MiB}, {@code 1.5T}, {@code 4096}.
 * Units are binary (K = 1024 bytes); a trailing {@code B} or {@code iB} is optional.
 *
 * @param bytes the size in bytes, at least 0
 */
public record ByteSize(long bytes) {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b)?");
    private static final String UNITS = "KMGTP";

    public ByteSize {
        if (bytes < 0) {
            throw DlstationException.badInput("size < 0: " + bytes);
        }
    }

    /** Parses {@code 10G}, {@code 10GB}, {@code 10GiB}, {@code 1.5T} or a plain number of bytes. */
    @JsonCreator
    public static ByteSize parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            throw DlstationException.badInput("size '" + text + "' is not a size; write a number and a binary unit: "
                    + "500M, 10G, 1.5T (K, M, G, T, P; KiB, GB, ... are accepted too) or plain bytes");
        }
        int power = m.group(2).isEmpty() ? 0 : UNITS.indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw DlstationException.badInput("size '" + text + "' is too large");
        }
        return new ByteSize(bytes.longValue());
    }

    /** Human form with one decimal: {@code 1.5 GiB}, {@code 512 B}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length() - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %siB", value, UNITS.charAt(unit));
    }

    /** The shortest exact form that {@link #parse} reads back: {@code 10G}, {@code 1536M}, {@code 1000}. */
    @JsonValue
    @Override
    public String toString() {
        long value = bytes;
        int unit = 0;
        while (value != 0 && value % 1024 == 0 && unit < UNITS.length()) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? Long.toString(bytes) : value + String.valueOf(UNITS.charAt(unit - 1));
    }
}
