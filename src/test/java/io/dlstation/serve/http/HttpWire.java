package io.dlstation.serve.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 on a plain socket, for tests that must see exactly what the server did with a connection:
 * whether a request got a status line, and whether the answer said {@code Connection: close}.
 */
final class HttpWire {
    private HttpWire() {}

    /** A whole answer: status, whether it said {@code Connection: close}, its {@code Retry-After}, the body. */
    record Answer(int status, boolean close, String retryAfter, String body) {}

    /** The head of a JSON POST of {@code length} bytes. */
    static byte[] postHead(int port, String path, long length) {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The head of a GET. */
    static byte[] getHead(int port, String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads one whole answer (its body by Content-Length) from {@code in}, which must be buffered.
     *
     * @throws EOFException when the connection ends before the answer does; its message says whether a
     *     status line came
     */
    static Answer read(InputStream in) throws IOException {
        String statusLine = line(in, true);
        if (!statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not a status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean close = false;
        String retryAfter = null;
        for (String header = line(in, false); !header.isEmpty(); header = line(in, false)) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "connection" -> close |= value.toLowerCase(Locale.ROOT).contains("close");
                case "retry-after" -> retryAfter = value;
                default -> { }
            }
        }
        if (length < 0) {
            throw new IOException("answer " + status + " without Content-Length");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new EOFException("the answer's body ended after " + body.length + " of " + length + " bytes");
        }
        return new Answer(status, close, retryAfter, new String(body, StandardCharsets.UTF_8));
    }

    /** One CRLF-terminated line. */
    private static String line(InputStream in, boolean first) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException(first && bytes.size() == 0 ? "the connection ended before a status line"
                        : "the connection ended inside the answer's head");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
