package io.dlstation.monitor;

/**
 * Tells someone that a rule fired or resolved: standard error, the log file, a webhook, the terminal
 * view. Called on the sampler thread: an implementation must not block (the webhook queues).
 */
public interface AlertNotifier extends AutoCloseable {

    /** Delivers or queues one event. */
    void send(AlertEvent event);

    /** What the notifier is, for messages to the user ("the webhook https://..."). */
    default String describe() {
        return "a notifier";
    }

    /** Flushes what is queued (bounded) and stops; the default does nothing. */
    @Override
    default void close() {}
}
