package io.dlstation.serve.wlm;

import io.dlstation.error.DlstationException;
import java.util.Locale;

/** A request's priority: every queued high-priority request joins a batch before any normal one. */
public enum Priority {
    HIGH,
    NORMAL;

    /**
     * Reads a priority as clients write it: {@code high} or {@code normal}, or Triton's numbers
     * ({@code 1} high, {@code 0} or {@code 2} and above normal).
     *
     * @param field what to name in the error, e.g. {@code parameters.priority}
     */
    public static Priority parse(Object value, String field) {
        if (value == null) {
            return NORMAL;
        }
        if (value instanceof Number n) {
            long level = n.longValue();
            if (level < 0 || n.doubleValue() != level) {
                throw DlstationException.badInput(field + " " + value + ": use high, normal, or a level 0, 1, 2, ...");
            }
            return level == 1 ? HIGH : NORMAL;
        }
        String text = value.toString().strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "high", "1" -> HIGH;
            case "normal", "", "0", "2" -> NORMAL;
            default -> throw DlstationException.badInput(field + " '" + value + "': use high or normal");
        };
    }
}
