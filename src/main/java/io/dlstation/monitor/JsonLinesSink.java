package io.dlstation.monitor;

import java.io.PrintWriter;

/** {@code --json}: one snapshot per line of JSON, flushed at once so a pipe sees it. */
public final class JsonLinesSink implements SnapshotSink {
    private final PrintWriter out;

    public JsonLinesSink(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(MonitorSnapshot snapshot) {
        out.println(SnapshotJson.line(snapshot));
        out.flush();
    }

    @Override
    public String describe() {
        return "the JSON output";
    }
}
