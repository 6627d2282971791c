package io.dlstation.serve.loadgen;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket: it writes a request that was built once, whole,
 * and reads the answer's status line and headers, skipping the body into a buffer it keeps. Nothing is
 * allocated per request, so the load generator measures the server rather than its own client (the JDK's
 * {@code HttpClient} adds several thread hops and copies of a large body to every request).
 *
 * <p>Bodies framed by {@code Content-Length}, chunked, or by the end of the connection are all read. A
 * connection that the server closed while it was idle is opened again and the request sent once more.
 * Not thread safe: one sender uses it at a time.
 */
final class Http1Connection implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;

    private final String host;
    private final int port;
    private final byte[] buffer = new byte[MAX_HEAD];
    /** Buffered bytes not yet consumed: {@code buffer[start, end)}. */
    private int start;
    private int end;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    /** Requests answered on the current socket. */
    private int answered;

    Http1Connection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * The request bytes of {@code POST path} with {@code body}: request line, headers (each
     * {@code "Name: value"}), {@code Content-Length} and the body, in one array.
     */
    static byte[] post(String host, int port, String path, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append(':').append(port).append("\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /**
     * Sends {@code request} and reads its answer.
     *
     * @param timeoutMillis how long the answer may take (0: no limit); a later one throws
     *     {@link SocketTimeoutException} and closes the connection
     * @return the answer's status code
     */
    int exchange(byte[] request, int timeoutMillis) throws IOException {
        boolean reused = socket != null;
        if (!reused) {
            connect(timeoutMillis);
        }
        try {
            return send(request, timeoutMillis);
        } catch (SocketTimeoutException e) {
            close();
            throw e;
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            connect(timeoutMillis); // the server closed the idle connection: once more on a new one
            try {
                return send(request, timeoutMillis);
            } catch (IOException again) {
                close();
                throw again;
            }
        }
    }

    private void connect(int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = s.getOutputStream();
        in = s.getInputStream();
        start = 0;
        end = 0;
        answered = 0;
    }

    private int send(byte[] request, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        out.write(request);
        out.flush();
        int status;
        boolean close;
        do {
            String[] head = readHead();
            status = status(head[0]);
            close = head[0].startsWith("HTTP/1.0");
            long length = -1;
            boolean chunked = false;
            for (int i = 1; i < head.length; i++) {
                String line = head[i];
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
                    default -> { }
                }
            }
            if (status >= 200 && status != 204 && status != 304) {
                if (chunked) {
                    skipChunked();
                } else if (length >= 0) {
                    skip(length);
                } else {
                    skipToEnd();
                    close = true;
                }
            }
        } while (status >= 100 && status < 200);
        answered++;
        if (close) {
            close();
        }
        return status;
    }

    /** The status line and header lines of the next answer, without the blank line that ends them. */
    private String[] readHead() throws IOException {
        int searched = 0; // bytes after start known to hold no blank line, but for its last 3
        while (true) {
            int at = indexOfBlankLine(start + Math.max(0, searched - 3));
            if (at >= 0) {
                String head = new String(buffer, start, at - start, StandardCharsets.ISO_8859_1);
                start = at + 4;
                return head.split("\r\n");
            }
            searched = end - start;
            if (!fill()) {
                throw new EOFException(answered == 0 && end == start ? "the server closed the connection"
                        : "the answer ended inside its headers");
            }
        }
    }

    private int indexOfBlankLine(int from) {
        for (int i = from; i + 3 < end; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new IOException("not an HTTP status line: " + line);
        }
    }

    private void skip(long length) throws IOException {
        long left = length;
        while (left > 0) {
            if (start == end && !fill()) {
                throw new EOFException("the answer ended " + left + " bytes short of its Content-Length");
            }
            int n = (int) Math.min(left, end - start);
            start += n;
            left -= n;
        }
    }

    private void skipChunked() throws IOException {
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return;
            }
            skip(size);
            readLine();
        }
    }

    private String readLine() throws IOException {
        while (true) {
            for (int i = start; i + 1 < end; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    String line = new String(buffer, start, i - start, StandardCharsets.ISO_8859_1);
                    start = i + 2;
                    return line;
                }
            }
            if (!fill()) {
                throw new EOFException("the answer ended inside a chunk header");
            }
        }
    }

    private void skipToEnd() throws IOException {
        start = end;
        while (fill()) {
            start = end;
        }
    }

    /** Reads more into the buffer (compacting it first); false at the end of the stream. */
    private boolean fill() throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        } else if (end == buffer.length) {
            if (start == 0) {
                throw new IOException("an answer's headers are over " + MAX_HEAD + " bytes");
            }
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** Whether a socket is open (it is opened on the next exchange otherwise). */
    boolean isOpen() {
        return socket != null;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            socket = null;
            out = null;
            in = null;
        }
    }
}
