package io.dlstation.engine.libtorch;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * libtorch's process-wide backend switches ({@code at::globalContext()}), which DJL's JNI does not
 * bind: whether convolutions may use oneDNN (MKLDNN) or NNPACK on the CPU, whether CUDA matmuls and
 * cuDNN convolutions may use TF32, and whether cuDNN benchmarks its algorithms.
 *
 * <p>These are the switches behind {@code torch.backends.mkldnn.enabled},
 * {@code torch.backends.nnpack.set_flags}, {@code torch.backends.cuda.matmul.allow_tf32},
 * {@code torch.backends.cudnn.allow_tf32} and {@code torch.backends.cudnn.benchmark} in Python. They
 * live in {@code libtorch_cpu.so} even in CUDA builds, so they bind (and can be tested) on the CPU. PyTorch reads them on every operator call, so a
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
    private final Function tf32CuBlas;
    private final Function setTf32CuBlas;
    private final Function tf32CuDnn;
    private final Function setTf32CuDnn;
    private final Function benchmarkCuDnn;
    private final Function setBenchmarkCuDnn;

    private LibTorchContext(NativeLibrary lib) {
        this.library = lib.getFile() == null ? lib.getName() : lib.getFile().toString();
        this.context = function(lib, "the global context", "_ZN2at13globalContextEv").invokePointer(new Object[0]);
        this.mkldnnEnabled = function(lib, "the oneDNN switch", "_ZNK2at7Context17userEnabledMkldnnEv");
        this.setMkldnnEnabled = function(lib, "the oneDNN switch", "_ZN2at7Context20setUserEnabledMkldnnEb");
        this.nnpackEnabled = function(lib, "the NNPACK switch", "_ZNK2at7Context17userEnabledNNPACKEv");
        this.setNnpackEnabled = function(lib, "the NNPACK switch", "_ZN2at7Context20setUserEnabledNNPACKEb");
        this.tf32CuBlas = function(lib, "the TF32 switch for matmuls", "_ZNK2at7Context15allowTF32CuBLASEv");
        this.setTf32CuBlas = function(lib, "the TF32 switch for matmuls", "_ZN2at7Context18setAllowTF32CuBLASEb");
        // PyTorch 2.9 added an optional operation argument to the getter; older ones take none.
        this.tf32CuDnn = firstFunction(lib, "the TF32 switch for cuDNN",
                "_ZNK2at7Context14allowTF32CuDNNESt8optionalINS_9Float32OpEE", "_ZNK2at7Context14allowTF32CuDNNEv");
        this.setTf32CuDnn = function(lib, "the TF32 switch for cuDNN", "_ZN2at7Context17setAllowTF32CuDNNEb");
        this.benchmarkCuDnn = function(lib, "the cuDNN benchmark switch", "_ZNK2at7Context14benchmarkCuDNNEv");
        this.setBenchmarkCuDnn = function(lib, "the cuDNN benchmark switch", "_ZN2at7Context17setBenchmarkCuDNNEb");
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

    /** Whether CUDA matmuls may use TF32 ({@code torch.backends.cuda.matmul.allow_tf32}). */
    public boolean tf32MatmulAllowed() {
        return invokeBool(tf32CuBlas);
    }

    /** Allows or forbids TF32 in CUDA matmuls, process-wide. */
    public void setTf32MatmulAllowed(boolean allowed) {
        setTf32CuBlas.invokeVoid(new Object[] {context, allowed});
    }

    /** Whether cuDNN convolutions may use TF32 ({@code torch.backends.cudnn.allow_tf32}). */
    public boolean tf32ConvolutionAllowed() {
        // The newer getter's std::optional<Float32Op> travels in one register; 0 is "no operation given".
        // The older getter ignores the extra argument.
        return (tf32CuDnn.invokeInt(new Object[] {context, 0L}) & 0xFF) != 0;
    }

    /** Allows or forbids TF32 in cuDNN convolutions, process-wide. */
    public void setTf32ConvolutionAllowed(boolean allowed) {
        setTf32CuDnn.invokeVoid(new Object[] {context, allowed});
    }

    /** Whether cuDNN times its algorithms per shape and keeps the fastest ({@code torch.backends.cudnn.benchmark}). */
    public boolean cudnnBenchmark() {
        return invokeBool(benchmarkCuDnn);
    }

    /** Turns cuDNN's algorithm benchmarking on or off, process-wide. */
    public void setCudnnBenchmark(boolean on) {
        setBenchmarkCuDnn.invokeVoid(new Object[] {context, on});
    }

    /** The library file the switches were bound in. */
    public String library() {
        return library;
    }

    private boolean invokeBool(Function getter) {
        // A C++ bool comes back in the low byte of the return register; the rest is undefined.
        return (getter.invokeInt(new Object[] {context}) & 0xFF) != 0;
    }

    private static Function firstFunction(NativeLibrary lib, String what, String symbol, String older) {
        try {
            return lib.getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            return function(lib, what, older);
        }
    }

    private static Function function(NativeLibrary lib, String what, String symbol) {
        try {
            return lib.getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            throw new LibTorchSymbolMissingException(what, symbol, lib.getName(), e);
        }
    }
}
