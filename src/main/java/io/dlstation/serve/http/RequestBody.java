package io.dlstation.serve.http;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.error.InternalNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Request;

/**
 * A request body read whole into a heap array: bytes {@code [0, length)} of {@link #array}, which may be
 * longer. A body of {@value #POOLED_FROM} bytes or more that says its length goes straight from Jetty's
 * buffers into an array taken from a pool, so a stream of large tensors (a 224x224 image is 300 KB in
 * FP16) neither allocates nor zeroes an array per request; {@link #close} gives it back, after which
 * nothing may read it (views of it included).
 */
final class RequestBody implements AutoCloseable {
    /** Bodies this large and larger use pooled arrays. */
    static final int POOLED_FROM = 64 * 1024;

    final byte[] array;
    final int length;
    private RetainableByteBuffer pooled;

    private RequestBody(byte[] array, int length, RetainableByteBuffer pooled) {
        this.array = array;
        this.length = length;
        this.pooled = pooled;
    }

    /** A body of {@code bytes} exactly, not pooled. */
    static RequestBody of(byte[] bytes) {
        return new RequestBody(bytes, bytes.length, null);
    }

    /**
     * The pool bodies' arrays come from: power-of-two sizes from {@value #POOLED_FROM} bytes up to
     * {@code maxRequestBytes}, keeping at most an eighth of the heap.
     */
    static ByteBufferPool pool(long maxRequestBytes) {
        int max = (int) Math.max(POOLED_FROM, Math.min(maxRequestBytes, 1 << 30));
        return new ArrayByteBufferPool.Quadratic(POOLED_FROM, Integer.highestOneBit(max - 1) << 1, Integer.MAX_VALUE,
                Runtime.getRuntime().maxMemory() / 8, 0);
    }

    /**
     * Reads the body of {@code request}; PAYLOAD_TOO_LARGE when it is over {@code max} bytes, told by
     * Content-Length before anything is read when the client sends one.
     *
     * @param pool where a large body's array comes from; null: an array of the body's length exactly
     */
    static RequestBody read(Request request, long max, ByteBufferPool pool) {
        long length = request.getLength();
        if (length > max) {
            throw tooLarge(length, max);
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (length < 0) {
                byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
                if (body.length > max) {
                    throw tooLarge(-1, max);
                }
                return of(body);
            }
            RetainableByteBuffer buffer = pool != null && length >= POOLED_FROM ? pool.acquire((int) length, false) : null;
            byte[] array = buffer == null ? new byte[(int) length] : heapArray(buffer);
            RequestBody body = new RequestBody(array, (int) length, buffer);
            try {
                int read = in.readNBytes(array, 0, (int) length);
                if (read != length) {
                    throw DlstationException.badInput("the body ended after " + read + " of its " + length + " bytes");
                }
                return body;
            } catch (IOException | RuntimeException e) {
                body.close();
                throw e;
            }
        } catch (IOException e) {
            throw DlstationException.badInput("the body could not be read: " + why(e));
        }
    }

    /** Why reading a body failed, in words for the client (the connection's failure, not Jetty's classes). */
    static String why(IOException error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException) {
                return "it stopped arriving for longer than the connection's idle timeout";
            }
            if (t instanceof HttpException http) {
                String reason = http.getReason();
                return "it is not valid HTTP/1.1" + (reason == null || InternalNames.appearIn(reason) ? ""
                        : " (" + reason + ")");
            }
            if (t instanceof EofException) {
                return "the connection closed before all of it arrived";
            }
        }
        return "the connection failed while it arrived";
    }

    /**
     * Reads and drops the body of {@code request}, up to {@code max} bytes, so that an answer refusing it
     * leaves nothing unread on the connection.
     *
     * @return true if the body ended within {@code max} bytes (false: larger, or it could not be read)
     */
    static boolean discard(Request request, long max) {
        if (request.getLength() > max) {
            return false;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] scratch = new byte[16 * 1024];
            long left = max;
            for (int n; (n = in.read(scratch, 0, (int) Math.min(scratch.length, left + 1))) >= 0;) {
                left -= n;
                if (left < 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] heapArray(RetainableByteBuffer buffer) {
        ByteBuffer b = buffer.getByteBuffer();
        if (!b.hasArray() || b.arrayOffset() != 0) {
            buffer.release();
            throw new IllegalStateException("the body pool gave a buffer without its own array");
        }
        return b.array();
    }

    private static DlstationException tooLarge(long length, long max) {
        return new DlstationException(ErrorCode.PAYLOAD_TOO_LARGE, "the body is " + (length < 0 ? "over " + max
                : length) + " bytes; this server takes at most " + max + " (--max-request-bytes)");
    }

    /** Gives a pooled array back (once; later calls do nothing). */
    @Override
    public void close() {
        RetainableByteBuffer b = pooled;
        pooled = null;
        if (b != null) {
            b.release();
        }
    }
}
