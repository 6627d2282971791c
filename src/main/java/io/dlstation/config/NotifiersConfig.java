package io.dlstation.config;

/**
 * {@code monitor.notifiers}: where alert events go.
 *
 * @param stderr one line per event on standard error (default true; in the live terminal view the
 *     events show in the view instead)
 * @param log one JSON line per event in the monitor's log file, when {@code --log} is given (default true)
 * @param webhook POST each event as JSON; null for none
 */
public record NotifiersConfig(Boolean stderr, Boolean log, WebhookConfig webhook) {

    public NotifiersConfig {
        stderr = stderr == null || stderr;
        log = log == null || log;
    }

    /** Standard error and the log file, no webhook. */
    public static NotifiersConfig defaults() {
        return new NotifiersConfig(true, true, null);
    }
}
