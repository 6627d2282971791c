package io.dlstation.serve.http;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.ModelRegistry;
import io.dlstation.serve.ServeMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server: Jetty with its request handling on virtual threads (no thread-per-connection
 * limit), one handler for every endpoint, one for what Jetty refuses before it (both answer errors
 * as JSON), and the drain that a stopping server runs.
 *
 * <p>Lifecycle: {@link #start} listens at once (live); the caller loads the models and then calls
 * {@link ServerStatus#started()} (ready). {@link #drain} ends readiness, refuses new inference
 * requests, lets every model finish what is queued and running within the drain time, then stops
 * listening. {@link #close} stops at once.
 */
public final class InferenceServer implements AutoCloseable {
    /**
     * Jetty reads a connection's bytes in buffers of this size (its default is 8 KiB): a 300 KB image
     * tensor then takes 5 reads instead of 37.
     */
    static final int INPUT_BUFFER_BYTES = 64 * 1024;

    private final HttpSettings settings;
    private final ModelRegistry registry;
    private final ServerStatus status;
    private final Server server;
    private final ServerConnector connector;

    public InferenceServer(HttpSettings settings, ModelRegistry registry, ServeMetrics metrics, ServerStatus status) {
        this.settings = settings;
        this.registry = registry;
        this.status = status;
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
        connector = new ServerConnector(server, http1);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new ServeHandler(settings, registry, metrics, status));
        server.setErrorHandler(new RejectedRequests(http.getRequestHeaderSize()));
        server.setStopTimeout(Duration.ofSeconds(5).toMillis());
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
            throw new DlstationException(ErrorCode.BAD_INPUT, "cannot listen on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage() + " (choose another --port or --host)", e);
        }
        return this;
    }

    /** The port listened on (the one chosen when the settings said 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The readiness the server reports. */
    public ServerStatus status() {
        return status;
    }

    /**
     * Drains: readiness off, new inference requests refused (503), every model finishes what it has
     * queued and running for up to the drain time (what is still queued then is answered 503), the
     * models are closed, and the server stops listening once the answers are written.
     */
    public void drain() {
        status.draining();
        registry.unloadAll(settings.drainTimeout());
        close();
    }

    /** Stops listening (answers being written get a few seconds). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort; the process is leaving
        }
    }
}
