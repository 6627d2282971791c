package io.dlstation.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns SIGTERM and SIGINT into a call, so a server can drain and exit 0 instead of dying with 143.
 * Falls back to a shutdown hook where the JVM does not let signals be handled: the JVM exits as soon as
 * its hooks return, so there the call must return only once the server has drained (it still drains,
 * but the exit status is then the signal's).
 */
final class ShutdownSignals {
    private ShutdownSignals() {}

    /**
     * Runs {@code onSignal} on SIGTERM or SIGINT (on a thread of its own each time); returns the signals
     * handled, or "hook".
     */
    static List<String> install(Runnable onSignal) {
        List<String> handled = new ArrayList<>();
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onSignal.run());
                handled.add("SIG" + name);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM keeps this signal (e.g. with -Xrs); the hook below still sees the exit
            }
        }
        if (handled.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(onSignal, "dlstation-serve-shutdown"));
            handled.add("hook");
        }
        return handled;
    }
}
