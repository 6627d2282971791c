package io.dlstation.serve.http;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.Connection;

/**
 * The connections the server holds open, counted as Jetty opens and closes them, so that a drain can
 * wait for the clients to close theirs instead of closing them under a request.
 *
 * <p>Design: Jetty calls {@link #onOpened} and {@link #onClosed} from its selector and request
 * threads; the count lives under one lock, whose condition wakes the waiting drain when it reaches
 * zero. Registered as an event listener of the connector, it hears of every connection that connector
 * makes.
 */
final class OpenConnections implements Connection.Listener {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition none = lock.newCondition();
    /** @GuardedBy("lock") */
    private int open;

    @Override
    public void onOpened(Connection connection) {
        lock.lock();
        try {
            open++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        lock.lock();
        try {
            if (--open == 0) {
                none.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Connections open now. */
    int count() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no connection is open, for at most {@code timeout}.
     *
     * @return how many are still open (0 when all closed in time)
     */
    int awaitNone(Duration timeout) throws InterruptedException {
        long left = Math.max(0, timeout.toNanos());
        lock.lock();
        try {
            while (open > 0 && left > 0) {
                left = none.awaitNanos(left);
            }
            return open;
        } finally {
            lock.unlock();
        }
    }
}
