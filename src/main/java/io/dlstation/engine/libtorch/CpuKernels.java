package io.dlstation.engine.libtorch;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, once per process, which CPU kernel libraries libtorch may use on this processor, and sets
 * them.
 *
 * <p>Why: oneDNN sizes its convolution blocking from the per-core cache sizes it reads with CPUID.
 * On AMD processors its copy of Xbyak trusts leaf 0x8000001D whenever the processor advertises it.
 * Some hypervisors (Firecracker, for one) advertise the leaf but leave it empty; Xbyak then computes
 * every cache as 1 byte, and oneDNN's blocking heuristics degenerate: the backward pass of ResNet-50's
 * strided 1x1 convolutions divides by zero ({@code brg_blocking_t::est_eff_1x1}, SIGFPE, the JVM dies)
 * and smaller networks train to NaN. NNPACK reads the same leaves through cpuinfo and refuses to start,
 * logging a line each time PyTorch asks. On such a processor oneDNN and NNPACK are turned off and
 * PyTorch's own CPU kernels run instead: slower, and correct. docs/ENGINE.md tells the whole story.
 *
 * <p>Design: the switches are process-wide in libtorch, so the choice is too. It is made the first time
 * the engine starts (see {@code SafePyTorchEngineProvider}) and kept; {@link #current()} reports it.
 */
public final class CpuKernels {
    /** Overrides the oneDNN choice: {@code auto} (the default), {@code on} or {@code off}. */
    public static final String ONEDNN_VARIABLE = "DLSTATION_ONEDNN";

    private static final Logger LOG = LoggerFactory.getLogger(CpuKernels.class);

    private static Choice applied;

    private CpuKernels() {}

    /**
     * What libtorch may use on the CPU.
     *
     * @param oneDnn whether oneDNN (MKLDNN) kernels are allowed
     * @param nnpack whether NNPACK kernels are allowed
     * @param warning what was turned off and why, with the override; null when nothing was
     */
    public record Choice(boolean oneDnn, boolean nnpack, String warning) {
        static final Choice DEFAULTS = new Choice(true, true, null);
    }

    /** How the user asked oneDNN to be chosen. */
    enum Mode {
        AUTO,
        ON,
        OFF;

        static Mode parse(String text) {
            if (text == null || text.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DlstationException(ErrorCode.BAD_INPUT, ONEDNN_VARIABLE + "=" + text
                        + " is not a choice: set it to auto (the default), on or off");
            }
        }
    }

    /**
     * Makes the choice for this machine and sets it in the libtorch loaded from {@code libtorchDir},
     * the first time; later calls return the first choice.
     */
    public static synchronized Choice secure(Path libtorchDir) {
        if (applied == null) {
            Choice choice = decide(ProcessorDescription.ofThisMachine(), Mode.parse(System.getenv(ONEDNN_VARIABLE)),
                    System.getProperty("os.arch", ""));
            applied = apply(choice, libtorchDir);
        }
        return applied;
    }

    /** The choice in force, or null before the engine started. */
    public static synchronized Choice current() {
        return applied;
    }

    static Choice decide(ProcessorDescription cpu, Mode mode, String arch) {
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return Choice.DEFAULTS;
        }
        boolean cachesHidden = !cpu.describesCaches();
        boolean nnpack = !cachesHidden;
        return switch (mode) {
            case ON -> new Choice(true, nnpack, null);
            case OFF -> new Choice(false, nnpack, "oneDNN is off (" + ONEDNN_VARIABLE + "=off): CPU convolutions "
                    + "run on PyTorch's own kernels. Unset it to let dlstation choose.");
            case AUTO -> cachesHidden && cpu.isAmd()
                    ? new Choice(false, false, "This " + cpu.vendor() + " processor does not describe its caches "
                            + "(CPUID leaf 0x8000001D is empty, as some hypervisors leave it), so oneDNN would size "
                            + "its kernels for 1-byte caches, then crash or compute NaN: CPU convolutions run on "
                            + "PyTorch's own kernels instead (correct, slower). " + ONEDNN_VARIABLE + "=on forces "
                            + "oneDNN.")
                    : new Choice(true, nnpack, null);
        };
    }

    private static Choice apply(Choice choice, Path libtorchDir) {
        if (choice.oneDnn() && choice.nnpack()) {
            return choice;
        }
        try {
            LibTorchContext context = LibTorchContext.bind(libtorchDir);
            context.setOneDnnEnabled(choice.oneDnn());
            context.setNnpackEnabled(choice.nnpack());
            LOG.debug("CPU kernels in {}: oneDNN {}, NNPACK {}", context.library(), choice.oneDnn(), choice.nnpack());
            return choice;
        } catch (LibTorchSymbolMissingException | UnsatisfiedLinkError e) {
            String why = e.getMessage();
            LOG.warn("could not set libtorch's CPU kernels: {}", why);
            return new Choice(true, true, "dlstation could not turn off oneDNN/NNPACK (" + why + "); on this "
                    + "processor CPU convolutions may crash. " + (choice.warning() == null ? "" : choice.warning()));
        }
    }
}
