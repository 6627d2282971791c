package io.dlstation.serve.http;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's connector on one acceptor thread, whose listening socket a drain can close for good while the
 * connections already open carry on.
 *
 * <p>Closing the socket is not enough on its own. The acceptor thread is blocked in the accept system
 * call, and the JDK defers the real close of a channel until a blocked accept has aborted (it only
 * signals the thread): until that thread runs, the kernel keeps completing connections into the socket's
 * backlog, and resets them when the socket finally goes. A client that reconnects at once after an
 * answer saying {@code Connection: close} could land there and lose the request it sends. So
 * {@link #closeListening} returns only once no acceptor thread is inside {@link #accept}.
 *
 * <p>Design: the acceptor thread counts itself in and out of {@link #accept} under a lock, whose
 * condition wakes the closing thread when none is left inside.
 */
final class DrainableConnector extends ServerConnector {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition noneInside = lock.newCondition();
    /** @GuardedBy("lock"): acceptor threads inside {@link #accept}. */
    private int accepting;

    /**
     * One acceptor thread: with none, Jetty's selector owns the listening socket and keeps it open until
     * the server stops, and {@link #close} would not close it.
     */
    DrainableConnector(Server server, ConnectionFactory... factories) {
        super(server, 1, -1, factories);
    }

    @Override
    public void accept(int acceptorID) throws IOException {
        lock.lock();
        try {
            accepting++;
        } finally {
            lock.unlock();
        }
        try {
            super.accept(acceptorID);
        } finally {
            lock.lock();
            try {
                if (--accepting == 0) {
                    noneInside.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Closes the listening socket, so that new connections are refused, and waits (up to {@code timeout})
     * until the acceptor thread has left the accept it was blocked in, when the socket is really gone.
     * Connections already accepted are not touched.
     *
     * @return whether the socket is known to be closed (false: the acceptor had not left in time)
     */
    boolean closeListening(Duration timeout) throws InterruptedException {
        setAccepting(false); // the acceptor thread then waits instead of retrying the closed socket
        close();
        long left = Math.max(0, timeout.toNanos());
        lock.lock();
        try {
            while (accepting > 0 && left > 0) {
                left = noneInside.awaitNanos(left);
            }
            return accepting == 0;
        } finally {
            lock.unlock();
        }
    }
}
