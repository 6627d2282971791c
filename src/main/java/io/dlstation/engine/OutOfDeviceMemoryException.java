package io.dlstation.engine;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;

/**
 * The device ran out of memory while running a piece of work. Carries what was being attempted (a
 * batch size, a shape) so callers can retry smaller and users see what did not fit.
 */
public final class OutOfDeviceMemoryException extends DlstationException {
    private static final long serialVersionUID = 1L;

    private final String device;
    private final String attempted;

    OutOfDeviceMemoryException(String device, String attempted, String engineDetail, Throwable cause) {
        super(ErrorCode.OUT_OF_MEMORY, "out of memory on " + device
                + (attempted == null || attempted.isEmpty() ? "" : " running " + attempted)
                + (engineDetail == null ? "" : ": " + engineDetail)
                + "; use a smaller batch size or sequence length, or --batch-size auto", cause);
        this.device = device;
        this.attempted = attempted;
    }

    /** The device that ran out, e.g. "gpu(0)" or "cpu()". */
    public String device() {
        return device;
    }

    /** What was being attempted, e.g. "batch 512, input (512, 3, 224, 224)"; may be empty. */
    public String attempted() {
        return attempted;
    }
}
