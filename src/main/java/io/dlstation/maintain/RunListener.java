package io.dlstation.maintain;

/** Receives each {@link RunEvent} as it happens: the terminal, the run log. Must not throw. */
@FunctionalInterface
public interface RunListener {
    void on(RunEvent event);

    /** A listener that drops everything. */
    static RunListener none() {
        return event -> { };
    }

    /** This listener, then {@code other}. */
    default RunListener and(RunListener other) {
        return event -> {
            on(event);
            other.on(event);
        };
    }
}
