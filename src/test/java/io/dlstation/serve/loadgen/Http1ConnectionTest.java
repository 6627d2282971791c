package io.dlstation.serve.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator's socket client against a loopback server that answers what each test scripts. */
class Http1ConnectionTest {
    /**
     * Answers each request it reads with the next scripted answer, and closes the connection after an
     * HTTP/1.0 or {@code Connection: close} answer, or instead of the answer {@code CLOSE}.
     */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<Integer> connections = new CopyOnWriteArrayList<>();
        final Thread thread = Thread.ofPlatform().daemon(true).start(this::serve);

        ScriptedServer(String... script) throws IOException {
            answers.addAll(List.of(script));
        }

        private void serve() {
            try {
                while (true) {
                    try (Socket s = socket.accept()) {
                        connections.add(s.getPort());
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        while (true) {
                            String request = readRequest(in);
                            if (request == null) {
                                break;
                            }
                            requests.add(request);
                            String answer = answers.take();
                            if (answer.equals("CLOSE")) {
                                break;
                            }
                            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                            if (answer.startsWith("HTTP/1.0") || answer.contains("Connection: close")) {
                                break;
                            }
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the test closed the socket
            }
        }

        /** The request's head and body as text, or null when the client closed. */
        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int c = in.read();
                if (c < 0) {
                    return null;
                }
                head.write(c);
                matched = (c == '\r' || c == '\n') && "\r\n\r\n".charAt(matched) == c ? matched + 1 : 0;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            thread.interrupt();
        }
    }

    private ScriptedServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] request(int port) {
        return Http1Connection.post("127.0.0.1", port, "/v2/models/m/infer", "body!".getBytes(StandardCharsets.US_ASCII),
                "Content-Type: application/octet-stream", "Inference-Header-Content-Length: 2");
    }

    @Test
    void sendsTheBuiltRequestAndReadsAnswersFramedEveryWayOnOneConnection() throws IOException {
        server = new ScriptedServer(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: 1\r\n\r\n",
                "HTTP/1.1 204 No Content\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyz");
        byte[] request = request(server.port());
        try (Http1Connection connection = new Http1Connection("127.0.0.1", server.port())) {
            assertThat(connection.exchange(request, 5000)).isEqualTo(200);
            assertThat(connection.exchange(request, 5000)).isEqualTo(503);
            assertThat(connection.exchange(request, 5000)).isEqualTo(200);
            assertThat(connection.exchange(request, 5000)).isEqualTo(204);
            assertThat(connection.exchange(request, 5000)).isEqualTo(200);
            assertThat(connection.isOpen()).isTrue();
        }
        assertThat(server.connections).hasSize(1);
        assertThat(server.requests).hasSize(5).allSatisfy(r -> assertThat(r).isEqualTo(
                "POST /v2/models/m/infer HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
                        + "Content-Type: application/octet-stream\r\nInference-Header-Content-Length: 2\r\n"
                        + "Content-Length: 5\r\n\r\nbody!"));
    }

    @Test
    void anAnswerThatClosesTheConnectionOrEndsWithItIsReadAndTheNextRequestReconnects() throws IOException {
        server = new ScriptedServer(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.0 429 Too Many Requests\r\n\r\nuntil the end",
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        byte[] request = request(server.port());
        try (Http1Connection connection = new Http1Connection("127.0.0.1", server.port())) {
            assertThat(connection.exchange(request, 5000)).isEqualTo(200);
            assertThat(connection.isOpen()).isFalse();
            assertThat(connection.exchange(request, 5000)).isEqualTo(429);
            assertThat(connection.isOpen()).isFalse();
            assertThat(connection.exchange(request, 5000)).isEqualTo(200);
        }
        assertThat(server.connections).hasSize(3);
    }

    @Test
    void aKeptConnectionTheServerClosedIsOpenedAgainOnce() throws IOException {
        server = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "CLOSE",
                "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        byte[] request = request(server.port());
        try (Http1Connection connection = new Http1Connection("127.0.0.1", server.port())) {
            assertThat(connection.exchange(request, 5000)).isEqualTo(200);
            assertThat(connection.exchange(request, 5000)).isEqualTo(201);
        }
        assertThat(server.connections).hasSize(2);
        assertThat(server.requests).hasSize(3);
    }

    @Test
    void aFreshConnectionThatGetsNoAnswerFailsAndALateAnswerTimesOut() throws IOException {
        server = new ScriptedServer("CLOSE");
        byte[] request = request(server.port());
        try (Http1Connection connection = new Http1Connection("127.0.0.1", server.port())) {
            assertThatThrownBy(() -> connection.exchange(request, 5000)).isInstanceOf(IOException.class)
                    .hasMessageContaining("closed the connection");
            assertThat(connection.isOpen()).isFalse();
            // no answer is scripted any more: the server reads the request and waits
            assertThatThrownBy(() -> connection.exchange(request, 200)).isInstanceOf(SocketTimeoutException.class);
            assertThat(connection.isOpen()).isFalse();
        }
    }
}
