package io.dlstation.serve.http;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.ModelRegistry;
import io.dlstation.serve.ServeMetrics;
import io.dlstation.time.Ticker;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server: Jetty with its request handling on virtual threads (no thread-per-connection
 * limit), one handler for every endpoint, one for what Jetty refuses before it (both answer errors
 * as JSON), and the drain that a stopping server runs.
 *
 * <p>Lifecycle: {@link #start} listens at once (live); the caller loads the models and then calls
 * {@link ServerStatus#started()} (ready). {@link #drain} stops taking work and lets it finish (below);
 * {@link #close} stops at once.
 *
 * <p>The drain is this server's own rather than Jetty's graceful stop ({@code Server.setStopTimeout}),
 * which cuts connections under requests: it lowers every connection's idle timeout to one second, so an
 * idle keep-alive connection is closed just as its client may be sending on it; it ends an answer whose
 * head went out before the stop began with a close that the answer did not announce; and at the stop
 * timeout it closes whatever is still open. An HTTP/1.1 client cannot tell an idle connection that the
 * server is about to close from one that will answer it, so here a connection is closed only after an
 * answer that said {@code Connection: close}, by its client, or when the drain time has run out. The
 * drain: the listening socket closes (new connections are refused, not queued); every answer from then
 * on says {@code Connection: close}; new inference requests are answered 503 once their bodies are read;
 * the models run what they have queued; then the drain waits for the clients to close their
 * connections, and closes those still open when the drain time runs out.
 *
 * <p>Threads and time: large JSON answers are written on virtual threads of an executor this server
 * owns ({@code dlstation-answer}); it takes no new answers once the server has stopped, and those being
 * written finish. The drain's deadline is a reading of the injected {@link Ticker}, which also times
 * each request for the metrics.
 */
final class InferenceServer implements AutoCloseable {
    /**
     * Jetty reads a connection's bytes in buffers of this size (its default is 8 KiB): a 300 KB image
     * tensor then takes 5 reads instead of 37.
     */
    static final int INPUT_BUFFER_BYTES = 64 * 1024;

    private final HttpSettings settings;
    private final ModelRegistry registry;
    private final ServerStatus status;
    private final Server server;
    private final DrainableConnector connector;
    private final OpenConnections connections = new OpenConnections();
    private final Ticker ticker;
    /** Writes the answers too large to format on the thread that completed them. */
    private final ExecutorService answers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
            .name("dlstation-answer").factory());
    private int port = -1;
    /** @GuardedBy("this"): when the drain begun by {@link #beginDrain} must end (a ticker reading); 0 before. */
    private long drainEnds;

    /** @param ticker times requests for the metrics and the drain (its deadline) */
    public InferenceServer(HttpSettings settings, ModelRegistry registry, ServeMetrics metrics, ServerStatus status,
            Ticker ticker) {
        this.settings = settings;
        this.registry = registry;
        this.status = status;
        this.ticker = ticker;
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, 4 * Runtime.getRuntime().availableProcessors()), 4);
        threads.setName("dlstation-http");
        threads.setDaemon(true);
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("dlstation-request-", 0).factory()));
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        http1.setInputBufferSize(INPUT_BUFFER_BYTES);
        connector = new DrainableConnector(server, http1);
        connector.addEventListener(connections);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new ServeHandler(settings, registry, metrics, status, ticker, answers));
        server.setErrorHandler(new RejectedRequests(http.getRequestHeaderSize()));
        server.setStopTimeout(0); // no graceful stop of Jetty's own: see drain()
        server.setStopAtShutdown(false);
    }

    /** Starts listening; BAD_INPUT when the address cannot be bound. */
    public InferenceServer start() {
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // nothing more to release
            }
            answers.shutdown();
            throw new DlstationException(ErrorCode.BAD_INPUT, "cannot listen on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage() + " (choose another --port or --host)", e);
        }
        port = connector.getLocalPort();
        return this;
    }

    /** The port listened on (the one chosen when the settings said 0), also once it no longer listens. */
    public int port() {
        return port;
    }

    /** The readiness the server reports. */
    public ServerStatus status() {
        return status;
    }

    /**
     * Begins the drain (once; later calls do nothing) and starts its clock: readiness off, new inference
     * requests answered 503, every answer from now on with {@code Connection: close}, and the listening
     * socket closed, so that a client connecting now is refused at once. Connections already open stay
     * open, and keep being answered.
     */
    public synchronized void beginDrain() {
        if (drainEnds != 0) {
            return;
        }
        drainEnds = ticker.read() + settings.drainTimeout().toNanos();
        // The socket first, and for good: a client told Connection: close that connects again is then
        // refused, never left in the socket's backlog to be reset when it closes.
        try {
            connector.closeListening(left());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        status.draining();
    }

    /**
     * Drains (beginning it if {@link #beginDrain} has not): every model finishes what it has queued and
     * running, for what is left of the drain time (what is still queued then is answered 503), and the
     * models are closed; then the drain waits for the clients to close their connections, each of which
     * was told to after its last answer, and stops the server once they have, or once the drain time is
     * up, closing the connections still open.
     *
     * @return how many connections were still open when the drain time ran out (0: every client closed
     *     its own)
     */
    public int drain() {
        beginDrain();
        registry.unloadAll(left());
        int open;
        try {
            open = connections.awaitNone(left());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = connections.count();
        }
        close();
        return open;
    }

    private synchronized Duration left() {
        return Duration.ofNanos(Math.max(0, drainEnds - ticker.read()));
    }

    /**
     * Stops at once: stops listening and closes every connection, whatever it is doing; answers still
     * being written finish, no new ones begin.
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort; the process is leaving
        }
        answers.shutdown();
    }
}
