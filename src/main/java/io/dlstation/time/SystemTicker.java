package io.dlstation.time;

/** {@link Ticker#system()}: {@link System#nanoTime()}, behind the seam that tests replace. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
