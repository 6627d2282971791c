package io.dlstation.error;

/**
 * What went wrong, in the one place that maps a failure to a process exit code and an HTTP status.
 *
 * <p>Every {@link DlstationException} carries one of these; the CLI turns it into an exit code and
 * the HTTP layer into a status, so the two never disagree.
 */
public enum ErrorCode {
    /** A flag, config field, file or request body is wrong; the message names it and the fix. */
    BAD_INPUT(400, 2),
    /** A request lacks the credentials an endpoint asks for (e.g. the server's admin token). */
    UNAUTHORIZED(401, 2),
    /** A named model, file or device does not exist. */
    NOT_FOUND(404, 2),
    /** An HTTP endpoint exists at the path, but not for the request's method. */
    METHOD_NOT_ALLOWED(405, 2),
    /** A request body is larger than the server accepts. */
    PAYLOAD_TOO_LARGE(413, 2),
    /** An HTTP request line is longer than the server reads. */
    URI_TOO_LONG(414, 2),
    /** An HTTP request's headers are larger than the server reads. */
    HEADERS_TOO_LARGE(431, 2),
    /** The engine or this machine cannot do what was asked (e.g. bfloat16 in DJL's PyTorch JNI). */
    UNSUPPORTED(422, 2),
    /** A queue is full; retry later. */
    QUEUE_FULL(429, 1),
    /** The device ran out of memory for the requested batch or shape. */
    OUT_OF_MEMORY(507, 1),
    /** Not ready yet, or shutting down. */
    UNAVAILABLE(503, 1),
    /** A deadline passed before the work ran. */
    TIMEOUT(504, 1),
    /** Anything else: a bug or an engine failure. */
    INTERNAL(500, 1);

    private final int httpStatus;
    private final int exitCode;

    ErrorCode(int httpStatus, int exitCode) {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
    }

    /** The HTTP status a server answers with for this error. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The process exit code: 2 for bad usage or input, 1 for runtime failures. */
    public int exitCode() {
        return exitCode;
    }

    /**
     * The code an HTTP status stands for, for answers the server's HTTP layer gives on its own: the code
     * with that status, else BAD_INPUT for a 4xx, UNSUPPORTED for 501 and 505 (not implemented, HTTP
     * version not supported) and INTERNAL for anything else.
     */
    public static ErrorCode forHttpStatus(int status) {
        for (ErrorCode code : values()) {
            if (code.httpStatus == status) {
                return code;
            }
        }
        if (status >= 400 && status < 500) {
            return BAD_INPUT;
        }
        return status == 501 || status == 505 ? UNSUPPORTED : INTERNAL;
    }
}
