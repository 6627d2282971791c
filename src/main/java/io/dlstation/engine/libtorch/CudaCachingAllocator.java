package io.dlstation.engine.libtorch;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PyTorch's CUDA caching allocator, reached through JNA: its statistics (what {@code
 * torch.cuda.memory_allocated}, {@code max_memory_allocated} and {@code memory_reserved} read), the peak
 * reset, and the per-process memory fraction ({@code torch.cuda.set_per_process_memory_fraction}).
 *
 * <p>Design: libtorch exports the allocator only as an object, {@code
 * c10::cuda::CUDACachingAllocator::allocator} (an atomic pointer to a {@code CUDAAllocator}); the
 * methods are virtual and the free functions Python uses are inline. A virtual method is called through
 * the object's vtable, and the slot of each method is not guessed: libtorch also exports {@code
 * CUDAPluggableAllocator}, a subclass of the same interface whose vtable and method bodies are public
 * symbols, so the slot of, say, {@code getDeviceStats} is where the pluggable vtable holds the
 * pluggable's {@code getDeviceStats}. The same slot in the real allocator's vtable is the real method.
 * A libtorch without these symbols (any CPU build) gives a clear {@link LibTorchSymbolMissingException}.
 *
 * <p>{@code getDeviceStats} returns a {@code DeviceStats} by value: the Itanium ABI passes a hidden
 * pointer to the result before {@code this}. The structure has been the same since PyTorch 1.x:
 * nine arrays of three {@code Stat}s (current, peak, allocated, freed; 64-bit each) per pool
 * (aggregate, small, large), {@code allocated_bytes} fifth and {@code reserved_bytes} sixth, then
 * counters (retries, OOMs).
 */
final class CudaCachingAllocator {
    static final String C10_CUDA = "libc10_cuda.so";
    static final String TORCH_CUDA = "libtorch_cuda.so";

    private static final String ALLOCATOR = "_ZN3c104cuda20CUDACachingAllocator9allocatorE";
    private static final String PLUGGABLE = "N5torch4cuda22CUDAPluggableAllocator22CUDAPluggableAllocatorE";
    private static final String PLUGGABLE_VTABLE = "_ZTV" + PLUGGABLE;
    private static final String GET_DEVICE_STATS = "_ZN" + PLUGGABLE.substring(1, PLUGGABLE.length() - 1)
            + "14getDeviceStatsEa";
    private static final String RESET_PEAK_STATS = "_ZN" + PLUGGABLE.substring(1, PLUGGABLE.length() - 1)
            + "14resetPeakStatsEa";
    private static final String SET_MEMORY_FRACTION = "_ZN" + PLUGGABLE.substring(1, PLUGGABLE.length() - 1)
            + "17setMemoryFractionEda";
    /** Virtual methods searched for a match; the interface has about forty. */
    private static final int MAX_SLOTS = 128;

    private static final int STAT_BYTES = 4 * 8;
    private static final int STAT_ARRAY_BYTES = 3 * STAT_BYTES;
    private static final int ALLOCATED_BYTES = 4 * STAT_ARRAY_BYTES;
    private static final int RESERVED_BYTES = 5 * STAT_ARRAY_BYTES;
    private static final int NUM_ALLOC_RETRIES = 9 * STAT_ARRAY_BYTES;
    private static final int NUM_OOMS = NUM_ALLOC_RETRIES + 8;
    /** Room for the structure with headroom for fields a later PyTorch appends. */
    private static final int STATS_BUFFER = 4096;

    private final Pointer allocatorSlot;
    private final int statsSlot;
    private final int resetPeakSlot;
    private final int fractionSlot;

    private CudaCachingAllocator(NativeLibrary c10Cuda, NativeLibrary torchCuda) {
        this.allocatorSlot = global(c10Cuda, ALLOCATOR);
        Pointer pluggableVtable = global(torchCuda, PLUGGABLE_VTABLE).share(16); // past offset-to-top and RTTI
        this.statsSlot = slotOf(pluggableVtable, torchCuda, GET_DEVICE_STATS, "the allocator statistics");
        this.resetPeakSlot = slotOf(pluggableVtable, torchCuda, RESET_PEAK_STATS, "the allocator peak reset");
        this.fractionSlot = slotOf(pluggableVtable, torchCuda, SET_MEMORY_FRACTION, "the allocator memory fraction");
    }

    /** Binds to the CUDA libraries beside the libtorch the engine loaded from {@code libtorchDir}. */
    static CudaCachingAllocator bind(Path libtorchDir) {
        return new CudaCachingAllocator(open(libtorchDir, C10_CUDA), open(libtorchDir, TORCH_CUDA));
    }

    /**
     * The allocator's counters for {@code device}. The allocator must have been initialised (any
     * tensor created on a GPU does it).
     */
    AllocatorStats stats(int device) {
        try (Memory stats = new Memory(STATS_BUFFER)) {
            stats.clear();
            Function method = method(statsSlot);
            method.invokeVoid(new Object[] {stats, allocator(), (byte) device});
            return new AllocatorStats(stats.getLong(ALLOCATED_BYTES), stats.getLong(ALLOCATED_BYTES + 8),
                    stats.getLong(RESERVED_BYTES), stats.getLong(RESERVED_BYTES + 8), stats.getLong(NUM_ALLOC_RETRIES),
                    stats.getLong(NUM_OOMS));
        }
    }

    /** Starts the peaks of {@code device} over from the current values ({@code reset_peak_memory_stats}). */
    void resetPeaks(int device) {
        method(resetPeakSlot).invokeVoid(new Object[] {allocator(), (byte) device});
    }

    /**
     * Caps what the allocator of {@code device} may hold at {@code fraction} of the device's memory;
     * beyond it an allocation fails with CUDA's out-of-memory error.
     */
    void setMemoryFraction(int device, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("memory fraction not in (0, 1]: " + fraction);
        }
        method(fractionSlot).invokeVoid(new Object[] {allocator(), fraction, (byte) device});
    }

    private Pointer allocator() {
        Pointer object = allocatorSlot.getPointer(0);
        if (object == null) {
            throw new IllegalStateException("the CUDA caching allocator is not set up yet");
        }
        return object;
    }

    private Function method(int slot) {
        Pointer vtable = allocator().getPointer(0);
        return Function.getFunction(vtable.getPointer((long) slot * Native.POINTER_SIZE));
    }

    private static int slotOf(Pointer vtable, NativeLibrary lib, String symbol, String what) {
        long target = Pointer.nativeValue(function(lib, what, symbol));
        for (int slot = 0; slot < MAX_SLOTS; slot++) {
            if (Pointer.nativeValue(vtable.getPointer((long) slot * Native.POINTER_SIZE)) == target) {
                return slot;
            }
        }
        throw new LibTorchSymbolMissingException(what + " in the allocator's virtual table", symbol, lib.getName(),
                null);
    }

    private static Pointer global(NativeLibrary lib, String symbol) {
        try {
            return lib.getGlobalVariableAddress(symbol);
        } catch (UnsatisfiedLinkError e) {
            throw new LibTorchSymbolMissingException("the CUDA caching allocator", symbol, lib.getName(), e);
        }
    }

    private static Function function(NativeLibrary lib, String what, String symbol) {
        try {
            return lib.getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            throw new LibTorchSymbolMissingException(what, symbol, lib.getName(), e);
        }
    }

    private static NativeLibrary open(Path libtorchDir, String name) {
        Path file = libtorchDir.resolve(name);
        try {
            return NativeLibrary.getInstance(Files.isRegularFile(file) ? file.toString() : name);
        } catch (UnsatisfiedLinkError e) {
            throw new LibTorchSymbolMissingException("CUDA (this libtorch is a CPU build)", name,
                    libtorchDir.toString(), e);
        }
    }
}
