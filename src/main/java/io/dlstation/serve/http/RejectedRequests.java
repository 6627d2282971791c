package io.dlstation.serve.http;

import io.dlstation.error.ErrorCode;
import io.dlstation.error.InternalNames;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's error handler ({@code Server.setErrorHandler}): answers what Jetty refuses before
 * {@link ServeHandler} sees it (a request line or header that is not HTTP, an ambiguous path such as
 * {@code /v2/models/..%2F..%2Fetc/infer}, a bad {@code Content-Length}, an over-long URI or header
 * block) with the same JSON body as every other error, {@code {"code", "error", "message"}}, instead of
 * Jetty's HTML page. The message says what was wrong in the product's words; Jetty's own reason is only
 * read to tell the cases apart.
 */
final class RejectedRequests implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(RejectedRequests.class);
    /** The path Jetty gives a request whose request line it could not read. */
    private static final String JETTY_PLACEHOLDER = "/badMessage";

    private final int headerBytes;

    /** @param headerBytes the most bytes of request line and headers the server reads */
    RejectedRequests(int headerBytes) {
        this.headerBytes = headerBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String s ? s : null;
        Throwable cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        if (cause instanceof HttpException http) {
            status = http.getCode();
            reason = reason == null ? http.getReason() : reason;
        }
        if (status < 400) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
        }
        if (status == HttpStatus.INTERNAL_SERVER_ERROR_500) {
            LOG.warn("{} {}: answered {} ({})", request.getMethod(), path(request), status, reason, cause);
        }
        response.setStatus(status);
        byte[] body = Exchange.errorBody(ErrorCode.forHttpStatus(status), message(status, reason, cause, request));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** What was wrong with the request, by status, Jetty's reason and what it found under it. */
    private String message(int status, String reason, Throwable cause, Request request) {
        String why = reason == null ? "" : reason;
        StringBuilder all = new StringBuilder(why);
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(' ').append(t.getMessage());
        }
        String lower = all.toString().toLowerCase(Locale.ROOT);
        return switch (status) {
            case 400 -> badRequest(why, lower, request);
            case 404 -> ServeHandler.notFound(request.getMethod(), path(request)).getMessage();
            case 408 -> "the request did not arrive in time; send it again";
            case 413 -> "the request is larger than this server accepts";
            case 414 -> "the request line is longer than this server reads (" + headerBytes + " bytes with the headers); "
                    + "shorten the URI";
            case 417 -> "the Expect header is not supported; leave it out or send 'Expect: 100-continue'";
            case 431 -> "the request headers are larger than this server reads (" + headerBytes + " bytes); send fewer "
                    + "or shorter headers";
            case 501 -> "the request asks for something this server does not implement"
                    + (lower.contains("encoding") ? " (its Transfer-Encoding); send the body as is or chunked" : "");
            case 505 -> "the HTTP version is not supported; use HTTP/1.1";
            case 503 -> "the server is not available; retry later";
            case 500 -> "internal error; the server log has the details";
            default -> plain(status, why);
        };
    }

    private String badRequest(String why, String lower, Request request) {
        if (lower.contains("ambiguous uri") || lower.contains("suspicious path") || lower.contains("bad uri")
                || lower.contains("utf-8") || lower.contains("utf16") || lower.contains("user info")) {
            String path = path(request);
            return "the request path " + (path.equals(JETTY_PLACEHOLDER) ? "" : "'" + path + "' ") + "is not usable: "
                    + uriProblem(lower)
                    + "; send the path with plain '/' separators, no '.' or '..' segments and no encoded '/', '.', '%' or ';'";
        }
        if (lower.contains("content-length")) {
            return lower.contains("duplicate") || lower.contains("multiple")
                    ? "the request has more than one Content-Length header; send one"
                    : "the Content-Length header is not a byte count; send the body's length in bytes (0 or more), "
                            + "or send the body chunked";
        }
        if (lower.contains("transfer-encoding")) {
            return "the Transfer-Encoding header is not usable (chunked must come last, and once); send the body "
                    + "with Content-Length or 'Transfer-Encoding: chunked'";
        }
        if (why.toLowerCase(Locale.ROOT).startsWith("illegal character")) {
            return "the request line or a header holds a character HTTP does not allow ("
                    + why.substring("illegal character".length()).strip() + "); check the method, URI and header names";
        }
        if (lower.contains("no host") || lower.contains("blank host") || lower.contains("!=host")
                || lower.contains("duplicate host")) {
            return "the Host header is missing, blank or repeated; send one Host header";
        }
        if (lower.contains("header folding") || lower.contains("eol")) {
            return "the request's lines or headers are not laid out as HTTP/1.1 asks (each header on one line, "
                    + "lines ending in CRLF)";
        }
        return "the request is not valid HTTP/1.1" + (why.isEmpty() || why.equalsIgnoreCase("Bad Request")
                || InternalNames.appearIn(why) ? "" : " (" + why + ")");
    }

    private static String uriProblem(String lower) {
        if (lower.contains("separator")) {
            return "it encodes a '/' as %2F";
        }
        if (lower.contains("segment") && lower.contains("empty")) {
            return "it has an empty segment ('//')";
        }
        if (lower.contains("segment")) {
            return "it has an encoded '.' or '..' segment";
        }
        if (lower.contains("parameter")) {
            return "it has a ';' path parameter";
        }
        if (lower.contains("encoding")) {
            return "it encodes a '%' as %25";
        }
        if (lower.contains("bad uri")) {
            return "it is not a valid URI path ('..' segments may not climb above the root)";
        }
        return "it is ambiguous or not valid";
    }

    private static String plain(int status, String why) {
        String text = HttpStatus.getMessage(status);
        String base = text == null ? "the request was refused" : "the request was refused: " + text.toLowerCase(Locale.ROOT);
        return why.isEmpty() || why.equals(text) || InternalNames.appearIn(why) ? base : base + " (" + why + ")";
    }

    private static String path(Request request) {
        HttpURI uri = request.getHttpURI();
        String path = uri == null ? null : uri.getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }
}
