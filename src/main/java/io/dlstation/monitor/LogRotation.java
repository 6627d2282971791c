package io.dlstation.monitor;

import io.dlstation.error.DlstationException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the monitor's log file is rotated and how many old files are kept: {@code FILE} is renamed
 * {@code FILE.1} (and {@code FILE.1} {@code FILE.2}, ...) when the next line would take it past
 * {@code maxBytes}, or, when {@code daily}, at the first line of a new day; files past {@code keep}
 * are deleted.
 *
 * @param maxBytes size limit of the current file (ignored when {@code daily})
 * @param daily rotate at midnight (local time) instead of by size
 * @param keep rotated files kept beside the current one (0: the current file only)
 */
public record LogRotation(long maxBytes, boolean daily, int keep) {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KIB|MB|MIB|GB|GIB|K|M|G)?");

    public LogRotation {
        if (maxBytes < 1024) {
            throw DlstationException.badInput("--log-max-size " + maxBytes + " bytes is too small; use 1KB or more, e.g. 10MB");
        }
        if (keep < 0 || keep > 1000) {
            throw DlstationException.badInput("--log-keep " + keep + " must be between 0 and 1000");
        }
    }

    /** 10 MiB per file, five old files. */
    public static LogRotation defaults() {
        return new LogRotation(10L << 20, false, 5);
    }

    /** Reads {@code 10MB}, {@code 512KB}, {@code 1GB} or a number of bytes (binary units: 1MB = 1024 KB). */
    public static long parseSize(String text, String field) {
        Matcher m = text == null ? null : SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            throw DlstationException.badInput(field + " '" + text + "' is not a size; write e.g. 10MB, 512KB or 1GB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        return n << shift;
    }
}
