package io.dlstation.engine.libtorch;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * libtorch's process-wide backend switches ({@code at::globalContext()}), which DJL's JNI does not
 * bind: whether convolutions may use oneDNN (MKLDNN) or NNPACK on the CPU.
 *
 * <p>These are the switches behind {@code torch.backends.mkldnn.enabled} and
 * {@code torch.backends.nnpack.set_flags} in Python. PyTorch reads them on every operator call, so a
 * change takes effect for the next convolution. Bind only after the engine has loaded libtorch: the
 * binding opens the very {@code libtorch_cpu.so} the engine uses, which the dynamic loader then
 * shares rather than loading a second copy.
 */
final class LibTorchContext {
    static final String LIBRARY = "libtorch_cpu.so";

    private final String library;
    private final Pointer context;
    private final Function mkldnnEnabled;
    private final Function setMkldnnEnabled;
    private final Function nnpackEnabled;
    private final Function setNnpackEnabled;

    private LibTorchContext(NativeLibrary lib) {
        this.library = lib.getFile() == null ? lib.getName() : lib.getFile().toString();
        this.context = function(lib, "the global context", "_ZN2at13globalContextEv").invokePointer(new Object[0]);
        this.mkldnnEnabled = function(lib, "the oneDNN switch", "_ZNK2at7Context17userEnabledMkldnnEv");
        this.setMkldnnEnabled = function(lib, "the oneDNN switch", "_ZN2at7Context20setUserEnabledMkldnnEb");
        this.nnpackEnabled = function(lib, "the NNPACK switch", "_ZNK2at7Context17userEnabledNNPACKEv");
        this.setNnpackEnabled = function(lib, "the NNPACK switch", "_ZN2at7Context20setUserEnabledNNPACKEb");
    }

    /**
     * Binds to the libtorch the engine loaded from {@code libtorchDir} (DJL's
     * {@code LibUtils.getLibtorchPath()}).
     */
    public static LibTorchContext bind(Path libtorchDir) {
        Path file = libtorchDir.resolve(LIBRARY);
        String name = Files.isRegularFile(file) ? file.toString() : LIBRARY;
        return new LibTorchContext(NativeLibrary.getInstance(name));
    }

    /** Whether convolutions and other CPU operators may use oneDNN ({@code torch.backends.mkldnn.enabled}). */
    public boolean oneDnnEnabled() {
        return invokeBool(mkldnnEnabled);
    }

    /** Allows or forbids oneDNN for CPU operators, process-wide. */
    public void setOneDnnEnabled(boolean enabled) {
        setMkldnnEnabled.invokeVoid(new Object[] {context, enabled});
    }

    /** Whether CPU convolutions may use NNPACK. */
    public boolean nnpackEnabled() {
        return invokeBool(nnpackEnabled);
    }

    /** Allows or forbids NNPACK for CPU convolutions, process-wide. */
    public void setNnpackEnabled(boolean enabled) {
        setNnpackEnabled.invokeVoid(new Object[] {context, enabled});
    }

    /** The library file the switches were bound in. */
    public String library() {
        return library;
    }

    private boolean invokeBool(Function getter) {
        // A C++ bool comes back in the low byte of the return register; the rest is undefined.
        return (getter.invokeInt(new Object[] {context}) & 0xFF) != 0;
    }

    private static Function function(NativeLibrary lib, String what, String symbol) {
        try {
            return lib.getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            throw new LibTorchSymbolMissingException(what, symbol, lib.getName(), e);
        }
    }
}
