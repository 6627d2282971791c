package io.dlstation.serve.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A server's {@code GET /metrics}, read and parsed. */
final class MetricsEndpoint {
    private final HttpClient client;
    private final URI uri;
    private final Duration timeout;

    MetricsEndpoint(HttpClient client, String url, Duration timeout) {
        this.client = client;
        this.uri = URI.create(url + "/metrics");
        this.timeout = timeout;
    }

    /** The current metrics; IOException when there is no answer or it is not 200. */
    PrometheusText read() throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("status " + r.statusCode());
        }
        return PrometheusText.parse(r.body());
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
