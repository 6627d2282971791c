package io.dlstation.maintain;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Runs a small bookkeeping write (status file, run log line) so that the one interrupt a stopping daemon
 * sends to stop its task cannot break it: Java's file channels close themselves when their thread is
 * interrupted. The interrupt is kept for the code that runs afterwards.
 */
final class Shielded {
    /** An I/O action. */
    @FunctionalInterface
    interface Action<T> {
        T run() throws IOException;
    }

    private Shielded() {}

    static <T> T run(Action<T> action) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            try {
                return action.run();
            } catch (ClosedByInterruptException e) {
                interrupted = true;
                Thread.interrupted();
                return action.run(); // once more: a stop interrupts only once
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
