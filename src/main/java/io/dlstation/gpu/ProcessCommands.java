package io.dlstation.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The command line of a process, from /proc; null when the process is gone or not visible. */
final class ProcessCommands {
    private static final int MAX_LENGTH = 200;

    private ProcessCommands() {}

    static String commandOf(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) {
                return null;
            }
            String command = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
            return command.length() > MAX_LENGTH ? command.substring(0, MAX_LENGTH) + "..." : command;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
