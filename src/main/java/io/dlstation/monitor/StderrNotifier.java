package io.dlstation.monitor;

import java.io.PrintWriter;

/** One line per event on standard error: {@code dlstation monitor: FIRING critical gpu_temperature_high ...}. */
public final class StderrNotifier implements AlertNotifier {
    private final PrintWriter err;

    public StderrNotifier(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void send(AlertEvent event) {
        err.println("dlstation monitor: " + event.summary());
        err.flush();
    }

    @Override
    public String describe() {
        return "standard error";
    }
}
