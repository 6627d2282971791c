package io.dlstation.monitor;

/** Each event as one JSON line {@code {"alert":{...}}} in the monitor's log file, beside the snapshots. */
public final class LogNotifier implements AlertNotifier {
    private final RotatingLog log;

    public LogNotifier(RotatingLog log) {
        this.log = log;
    }

    @Override
    public void send(AlertEvent event) {
        log.append("{\"alert\":" + SnapshotJson.line(event) + "}");
    }

    @Override
    public String describe() {
        return "the log " + log.file();
    }
}
