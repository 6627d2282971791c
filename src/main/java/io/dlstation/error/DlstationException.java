package io.dlstation.error;

import java.util.Objects;

/**
 * The product's one unchecked exception: an {@link ErrorCode} plus a message written for the user,
 * naming the problem and the fix. Never shows a Java class name to the user.
 */
public class DlstationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public DlstationException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public DlstationException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Shorthand for a {@link ErrorCode#BAD_INPUT} error. */
    public static DlstationException badInput(String message) {
        return new DlstationException(ErrorCode.BAD_INPUT, message);
    }

    public ErrorCode code() {
        return code;
    }
}
