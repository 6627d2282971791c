package io.dlstation.serve.http;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * One HTTP/1.1 client on a plain socket that posts the same request in a loop over one keep-alive
 * connection, as a load generator or a proxy does, and records how each request ended. Being a plain
 * socket, it sees exactly whether a request it sent got a status line. It honours {@code Connection:
 * close}: after such an answer it closes the connection and opens a new one for its next request. It
 * stops when a new connection is refused (the server stopped listening), when {@link #stop()} is
 * called, or at the first request that went wrong.
 *
 * <p>Like Python's {@code http.client}, it writes the head and the body of each request separately
 * (with Nagle off), so the server may see the head before the body has arrived.
 */
final class KeepAliveClient implements Callable<KeepAliveClient.Tally> {
    /** What happened to this client's requests. */
    static final class Tally {
        int sent;
        int ok;
        int unavailable;
        /** Answers that said {@code Connection: close}. */
        int toldToClose;
        int connections;
        boolean refused;
        /** Each request that got anything but a whole 200 or 503, why, and what came before it. */
        final List<String> failures = new ArrayList<>();
    }

    private static final Duration ANSWER_WAIT = Duration.ofSeconds(60);

    private final int port;
    private final byte[] head;
    private final byte[] body;
    private final Supplier<String> when;
    private final int warmUpAnswers;
    private final Runnable warmedUp;
    private final Tally tally = new Tally();
    /** Connections opened and answers that said Connection: close, with when: the context of a failure. */
    private final List<String> events = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param when says when a request that went wrong went wrong (e.g. how long after the drain began)
     * @param warmedUp run once, after the first {@code warmUpAnswers} answers of 200 (or when the client
     *     ends before)
     */
    KeepAliveClient(int port, String path, byte[] body, Supplier<String> when, int warmUpAnswers, Runnable warmedUp) {
        this.port = port;
        this.head = HttpWire.postHead(port, path, body.length);
        this.body = body;
        this.when = when;
        this.warmUpAnswers = warmUpAnswers;
        this.warmedUp = warmedUp;
    }

    /** Ends the loop after the request in progress. */
    void stop() {
        stopped = true;
    }

    @Override
    public Tally call() throws IOException {
        Socket socket = null;
        try {
            InputStream in = null;
            while (!stopped) {
                if (socket == null) {
                    socket = connect();
                    if (socket == null) {
                        tally.refused = true;
                        return tally;
                    }
                    in = new BufferedInputStream(socket.getInputStream());
                }
                if (!exchange(socket.getOutputStream(), in)) {
                    socket.close();
                    socket = null;
                }
                if (!tally.failures.isEmpty()) {
                    return tally;
                }
            }
            return tally;
        } finally {
            if (tally.ok < warmUpAnswers) {
                warmedUp.run(); // ended early: whoever waits for the warm-up sees the tally at once
            }
            if (socket != null) {
                socket.close();
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) ANSWER_WAIT.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            tally.connections++;
            events.add("connection " + tally.connections + " opened " + when.get());
            return socket;
        } catch (ConnectException refused) {
            socket.close();
            return null;
        }
    }

    /** Sends one request and reads its answer; false when the connection is not to be used again. */
    private boolean exchange(OutputStream out, InputStream in) {
        try {
            out.write(head);
            out.flush();
            out.write(body);
            out.flush();
        } catch (IOException e) {
            fail("the server closed a connection it had not said it would close (" + e + ")");
            return false;
        }
        tally.sent++;
        HttpWire.Answer answer;
        try {
            answer = HttpWire.read(in);
        } catch (EOFException e) {
            fail("no answer: " + e.getMessage());
            return false;
        } catch (SocketTimeoutException e) {
            fail("no answer within " + ANSWER_WAIT.toSeconds() + " s");
            return false;
        } catch (IOException e) {
            fail("no answer: " + e);
            return false;
        }
        if (answer.close()) {
            tally.toldToClose++;
            events.add("request " + tally.sent + " answered " + answer.status() + " with Connection: close "
                    + when.get());
        }
        if (answer.status() == 200) {
            if (++tally.ok == warmUpAnswers) {
                warmedUp.run();
            }
        } else if (answer.status() == 503) {
            tally.unavailable++;
        } else {
            fail("answered " + answer.status() + ": " + answer.body());
        }
        return !answer.close();
    }

    private void fail(String why) {
        tally.failures.add(String.format(Locale.ROOT, "request %d on connection %d, %s: %s (before: %s)", tally.sent,
                tally.connections, when.get(), why, String.join("; ", events.subList(Math.max(0, events.size() - 3),
                        events.size()))));
    }
}
