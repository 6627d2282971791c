package io.dlstation.monitor;

import io.dlstation.error.DlstationException;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;

/**
 * Serves a registry at {@code http://HOST:PORT/metrics} in the Prometheus text format, through the
 * Prometheus Java client's HTTP server. The host defaults to 127.0.0.1 in the CLI: binding 0.0.0.0
 * publishes the host's GPU and process names to the network.
 */
public final class PrometheusExporter implements AutoCloseable {
    private final HTTPServer server;
    private final String host;

    private PrometheusExporter(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * Starts serving; port 0 picks a free port. A port in use or an address that cannot be bound is
     * an error naming {@code --prometheus-port} or {@code --prometheus-host}.
     */
    public static PrometheusExporter start(String host, int port, PrometheusRegistry registry) {
        if (port < 0 || port > 65535) {
            throw DlstationException.badInput("--prometheus-port " + port + " is not a port; use 1-65535 (0 for any free port)");
        }
        try {
            HTTPServer server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
            return new PrometheusExporter(server, host);
        } catch (BindException e) {
            throw DlstationException.badInput("--prometheus-port " + port + ": " + host + ":" + port
                    + " cannot be bound (" + e.getMessage() + "); pick another port or stop what holds it");
        } catch (IOException | RuntimeException e) {
            throw DlstationException.badInput("--prometheus-host " + host + ": cannot listen on " + host + ":" + port
                    + " (" + e.getMessage() + "); use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0");
        }
    }

    /** The port served (the one picked when started on 0). */
    public int port() {
        return server.getPort();
    }

    /** {@code http://HOST:PORT/metrics}. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        server.close();
    }
}
