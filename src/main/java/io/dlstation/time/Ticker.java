package io.dlstation.time;

/**
 * A source of nanoseconds for measuring elapsed time, as Caffeine's {@code Ticker}: code that times
 * or waits for something reads this instead of {@link System#nanoTime()}, so a test can move time by
 * hand and check time-based behaviour without sleeping.
 *
 * <p>Only differences between two readings mean anything (the origin is arbitrary and may be
 * negative), and they must be compared as {@code a - b < 0}, never {@code a < b}, since a reading may
 * overflow. A ticker is not a wall clock: for dates and times of day use {@link java.time.Clock}.
 *
 * <p>Implementations are safe for use from any thread.
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime()}; never goes back. */
    long read();

    /** The system's monotonic clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
