package io.dlstation.serve.wlm;

/** A source of nanoseconds for measuring time; tests inject one they advance by hand. */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    long read();

    /** The system's monotonic clock. */
    static Ticker system() {
        return System::nanoTime;
    }
}
