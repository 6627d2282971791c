package io.dlstation.serve.wlm;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a batch threw into the error its requests are answered with: the message says which model
 * failed and why, in the engine's words, without Java class names or stack traces. Which failures are
 * out of memory is the caller's to say (serve passes the engine's recogniser): this package knows
 * nothing of the engine.
 */
public final class Failures {
    private static final Pattern RAISED = Pattern.compile("(?m)^\\s*[A-Za-z_.]*(?:Error|Exception): (.+)$");
    private static final Pattern JAVA_NAME = Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)?:?\\s*");
    /** What PyTorch tried to allocate: {@code Tried to allocate 2.00 GiB} (CUDA), {@code ... 1024 bytes} (CPU). */
    private static final Pattern TRIED = Pattern.compile("(?i)tried to allocate ([0-9.]+ [KMGT]i?B|\\d+ bytes)");
    private static final int LIMIT = 300;

    private Failures() {}

    /**
     * The error for the requests of a failed batch of {@code samples} samples.
     *
     * @param outOfMemory whether a failure is the device running out of memory
     */
    public static DlstationException of(String model, Throwable error, int samples, Predicate<Throwable> outOfMemory) {
        if (outOfMemory.test(error)) {
            String tried = tried(error);
            return new DlstationException(ErrorCode.OUT_OF_MEMORY, "model '" + model + "' ran out of device memory "
                    + "on a batch of " + samples + " samples" + (tried == null ? "" : " (" + tried + ")")
                    + "; lower its max_batch_size", error);
        }
        if (error instanceof DlstationException e) {
            return e;
        }
        return new DlstationException(ErrorCode.INTERNAL, "model '" + model + "' failed on a batch of " + samples
                + " samples: " + summary(message(error)), error);
    }

    /** The gist of an engine message: what a TorchScript {@code raise} said, else its first line. */
    public static String summary(String message) {
        if (message == null || message.isBlank()) {
            return "no detail";
        }
        String gist = null;
        Matcher m = RAISED.matcher(message);
        while (m.find()) {
            gist = m.group(1);
        }
        if (gist == null) {
            int nl = message.indexOf('\n');
            gist = nl < 0 ? message : message.substring(0, nl);
        }
        gist = JAVA_NAME.matcher(gist).replaceAll("").strip();
        if (gist.isEmpty()) {
            gist = "no detail";
        }
        return gist.length() > LIMIT ? gist.substring(0, LIMIT) + "..." : gist;
    }

    /** What the engine says it tried to allocate ("tried to allocate 2.00 GiB"), or null when it does not say. */
    private static String tried(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher m = t.getMessage() == null ? null : TRIED.matcher(t.getMessage());
            if (m != null && m.find()) {
                return "tried to allocate " + m.group(1);
            }
        }
        return null;
    }

    private static String message(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return "an internal error without a message"; // never a Java class name in an answer
    }
}
