package io.dlstation.engine;

import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that recognises an out-of-memory failure in what DJL's PyTorch engine throws. CUDA's
 * reaches Java as an {@code ai.djl.engine.EngineException} whose message contains "CUDA out of
 * memory"; the CPU allocator's says "DefaultCPUAllocator: not enough memory"; cuBLAS and cuDNN report
 * allocation failures with their own status names.
 */
public final class OomRecognizer {
    private static final String[] MARKERS = {
        "cuda out of memory",
        "cuda error: out of memory",
        "out of memory",
        "not enough memory",
        "can't allocate memory",
        "cublas_status_alloc_failed",
        "cudnn_status_alloc_failed",
    };
    private static final Pattern TRIED = Pattern.compile("Tried to allocate ([0-9.]+ [KMGT]i?B)");
    private static final Pattern CPU_TRIED = Pattern.compile("you tried to allocate (\\d+) bytes");

    private OomRecognizer() {}

    /** Whether {@code error} or any of its causes is an engine out-of-memory failure. */
    public static boolean isOutOfMemory(Throwable error) {
        return oomMessage(error) != null;
    }

    /**
     * {@code error} as an {@link OutOfDeviceMemoryException} when it is an out-of-memory failure,
     * else null.
     *
     * @param device the device the work ran on, for the message
     * @param attempted what was being attempted, e.g. "batch 256"
     */
    public static OutOfDeviceMemoryException translate(Throwable error, String device, String attempted) {
        if (error instanceof OutOfDeviceMemoryException oom) {
            return oom;
        }
        String message = oomMessage(error);
        return message == null ? null : new OutOfDeviceMemoryException(device, attempted, detail(message), error);
    }

    /**
     * Runs {@code work}; an out-of-memory failure comes out as {@link OutOfDeviceMemoryException},
     * anything else unchanged.
     */
    public static <T> T guard(String device, String attempted, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            OutOfDeviceMemoryException oom = translate(e, device, attempted);
            throw oom != null ? oom : e;
        }
    }

    private static String oomMessage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return null; // the JVM heap, not the device
            }
            String message = t.getMessage();
            if (message != null) {
                String lower = message.toLowerCase(Locale.ROOT);
                for (String marker : MARKERS) {
                    if (lower.contains(marker)) {
                        return message;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** A short engine detail: the size PyTorch tried to allocate, when it says so. */
    private static String detail(String message) {
        Matcher m = TRIED.matcher(message);
        if (m.find()) {
            return "tried to allocate " + m.group(1);
        }
        Matcher cpu = CPU_TRIED.matcher(message);
        if (cpu.find()) {
            return "tried to allocate " + cpu.group(1) + " bytes";
        }
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl);
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
    }
}
