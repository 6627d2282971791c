package io.dlstation.monitor;

/** {@code --log FILE}: each snapshot as one JSON line (the {@code --json} form) in a rotating file. */
public final class LogSink implements SnapshotSink {
    private final RotatingLog log;

    public LogSink(RotatingLog log) {
        this.log = log;
    }

    @Override
    public void accept(MonitorSnapshot snapshot) {
        log.append(SnapshotJson.line(snapshot));
    }

    @Override
    public String describe() {
        return "the log " + log.file();
    }

    @Override
    public void close() {
        log.close();
    }
}
