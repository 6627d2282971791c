package io.dlstation.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Whether standard output is a terminal, and how wide it is. */
final class Terminals {
    private static final int DEFAULT_COLUMNS = 120;
    private static volatile Integer sttyColumns;

    private Terminals() {}

    /**
     * True when the process talks to a terminal. Java 22 and later return a console for redirected
     * streams too and say which through {@code Console.isTerminal()}; Java 21 returns none.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** {@code COLUMNS} when set, else what {@code stty size} says (asked once), else 120. */
    static int columns(Map<String, String> env) {
        String columns = env.get("COLUMNS");
        if (columns != null) {
            try {
                return Integer.parseInt(columns.strip());
            } catch (NumberFormatException ignored) {
                // fall through to stty
            }
        }
        Integer known = sttyColumns;
        if (known == null) {
            known = stty();
            sttyColumns = known;
        }
        return known;
    }

    private static int stty() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                String[] parts = answer.split("\\s+");
                return parts.length == 2 ? Integer.parseInt(parts[1]) : DEFAULT_COLUMNS;
            }
        } catch (IOException | NumberFormatException e) {
            // no tty or no stty: the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_COLUMNS;
    }
}
