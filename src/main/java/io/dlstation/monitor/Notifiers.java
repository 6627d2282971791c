package io.dlstation.monitor;

import java.util.List;
import java.util.function.Consumer;

/** Sends each event to several notifiers; one that throws is reported and the others still get it. */
public final class Notifiers implements AlertNotifier {
    private final List<AlertNotifier> notifiers;
    private final Consumer<String> problems;

    public Notifiers(List<AlertNotifier> notifiers, Consumer<String> problems) {
        this.notifiers = List.copyOf(notifiers);
        this.problems = problems;
    }

    /** The notifiers, in the order they are called. */
    public List<AlertNotifier> notifiers() {
        return notifiers;
    }

    @Override
    public void send(AlertEvent event) {
        for (AlertNotifier notifier : notifiers) {
            try {
                notifier.send(event);
            } catch (RuntimeException e) {
                problems.accept("dlstation monitor: " + notifier.describe() + " could not send alert '"
                        + event.rule() + "': " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        for (AlertNotifier notifier : notifiers) {
            try {
                notifier.close();
            } catch (RuntimeException e) {
                problems.accept("dlstation monitor: closing " + notifier.describe() + " failed: " + e.getMessage());
            }
        }
    }
}
