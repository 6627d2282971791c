package io.dlstation.serve.loadgen;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the senders of a run, each answering one request at a time with its status ({@code "200"}, ...,
 * {@code "timeout"}, or {@code "error"} when no answer came). For {@code http://} a sender is a
 * keep-alive socket ({@link Http1Connection}) writing the request built once for the whole run; for
 * {@code https://} it goes through the JDK's {@code HttpClient} (spread over several clients, so one
 * client's selector thread is not the limit).
 */
final class Senders {
    /** One request at a time. */
    interface Sender extends AutoCloseable {
        String send();

        @Override
        void close();
    }

    private final URI infer;
    private final Payload payload;
    private final Duration timeout;
    private final List<HttpClient> clients;
    private final byte[] request;

    /**
     * @param clients the HTTP clients to spread {@code https://} requests over (at least one)
     */
    Senders(String url, String model, Payload payload, Duration timeout, List<HttpClient> clients) {
        this.infer = URI.create(url + "/v2/models/" + model + "/infer");
        this.payload = payload;
        this.timeout = timeout;
        this.clients = List.copyOf(clients);
        if (plain()) {
            int port = infer.getPort() < 0 ? 80 : infer.getPort();
            this.request = Http1Connection.post(infer.getHost(), port, infer.getRawPath(), payload.body(),
                    headers().toArray(String[]::new));
        } else {
            this.request = null;
        }
    }

    /** Whether requests go over plain sockets. */
    boolean plain() {
        return "http".equalsIgnoreCase(infer.getScheme());
    }

    private List<String> headers() {
        List<String> headers = new ArrayList<>();
        if (payload.headerLength() != null) {
            headers.add("Content-Type: application/octet-stream");
            headers.add("Inference-Header-Content-Length: " + payload.headerLength());
        } else {
            headers.add("Content-Type: application/json");
        }
        return headers;
    }

    /** A new sender; {@code index} spreads senders over the HTTP clients. */
    Sender open(int index) {
        if (plain()) {
            Http1Connection connection = new Http1Connection(infer.getHost(), infer.getPort() < 0 ? 80 : infer.getPort());
            int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
            return new Sender() {
                @Override
                public String send() {
                    try {
                        return Integer.toString(connection.exchange(request, millis));
                    } catch (SocketTimeoutException e) {
                        return "timeout";
                    } catch (IOException | RuntimeException e) {
                        return "error";
                    }
                }

                @Override
                public void close() {
                    connection.close();
                }
            };
        }
        HttpClient client = clients.get(Math.floorMod(index, clients.size()));
        return new Sender() {
            @Override
            public String send() {
                HttpRequest.Builder builder = HttpRequest.newBuilder(infer).timeout(timeout)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body()));
                if (payload.headerLength() != null) {
                    builder.header("Inference-Header-Content-Length", payload.headerLength().toString())
                            .header("Content-Type", "application/octet-stream");
                } else {
                    builder.header("Content-Type", "application/json");
                }
                try {
                    return Integer.toString(client.send(builder.build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode());
                } catch (HttpTimeoutException e) {
                    return "timeout";
                } catch (IOException e) {
                    return "error";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "error";
                }
            }

            @Override
            public void close() {
                // the clients are shared
            }
        };
    }
}
