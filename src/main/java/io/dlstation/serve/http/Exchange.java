package io.dlstation.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.protocol.PooledJson;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;

/**
 * One request and its response, with the few operations the endpoints need. An endpoint answers before
 * it returns, or leaves {@link #later} to say when it will (from any thread; one thread at a time).
 *
 * <p>An answer says {@code Connection: close} when the server is draining (so that each client closes
 * its connection itself) and when the request's body was not read to its end: Jetty then closes the
 * connection once the answer is written, and a client not told so would send its next request into a
 * closed connection.
 */
final class Exchange {
    static final ObjectMapper JSON = new ObjectMapper(PooledJson.factory());

    final Request request;
    final Response response;
    final Callback callback;
    /** The path's segments, decoded. */
    final List<String> path;
    final long startNanos;
    private final ServerStatus server;
    private Fields query;
    /** Whether the request's body has been read to its end (by {@link #body} or {@link #discardBody}). */
    private boolean bodyRead;
    /** The model label to record this request under in the request metrics; null: not an inference request. */
    String metricModel;
    /** The status answered. */
    int status;
    /** Set by an endpoint that answers later: completes once it has, or fails with the error to answer. */
    CompletableFuture<Void> later;

    Exchange(Request request, Response response, Callback callback, long startNanos, ServerStatus server) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.startNanos = startNanos;
        this.server = server;
        // Jetty's canonical path: dot segments resolved, path parameters gone, still percent-encoded, so that
        // splitting comes before decoding (an encoded '/' never reaches here: Jetty refuses it as ambiguous)
        String p = request.getHttpURI().getCanonicalPath();
        this.path = p == null ? List.of() : Arrays.stream(p.split("/")).filter(s -> !s.isEmpty())
                .map(URIUtil::decodePath).toList();
    }

    String method() {
        return request.getMethod();
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** A query parameter, or null. */
    String query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query.getValue(name);
    }

    /** Reads the request's body whole ({@link RequestBody#read}). */
    RequestBody body(long max, ByteBufferPool pool) {
        RequestBody body = RequestBody.read(request, max, pool);
        bodyRead = true;
        return body;
    }

    /** Reads and drops the body of a request that is refused unread ({@link RequestBody#discard}). */
    void discardBody(long max) {
        bodyRead = RequestBody.discard(request, max);
    }

    /** Answers {@code status} with {@code value} as JSON. */
    void json(int status, Object value) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        send(status, "application/json", ByteBuffer.wrap(bytes), Map.of());
    }

    /** Answers an error: {@link #errorBody} with the status and headers given. */
    void error(int status, ErrorCode code, String message, Map<String, String> headers) {
        send(status, "application/json", ByteBuffer.wrap(errorBody(code, message)), headers);
    }

    /**
     * The body of every error answer: {@code {"code": "BAD_INPUT", "error": message, "message": message}}.
     * {@code error} is the field KServe v2 clients read; {@code code} names the kind of error for programs.
     */
    static byte[] errorBody(ErrorCode code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code.name());
        body.put("error", message);
        body.put("message", message);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return "{\"code\": \"INTERNAL\", \"error\": \"internal error\", \"message\": \"internal error\"}"
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Answers {@code status} with {@code body}; the handler's callback completes when it is written. */
    void send(int status, String contentType, ByteBuffer body, Map<String, String> headers) {
        this.status = status;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        headers.forEach((k, v) -> response.getHeaders().put(k, v));
        if (server.isDraining() || !bodyRead && !request.consumeAvailable()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
        }
        response.write(true, body, callback);
    }
}
