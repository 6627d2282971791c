package io.dlstation.time;

/** {@link Ticker#system()}: the one place that reads {@link System#nanoTime()} for the rest of the code. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
