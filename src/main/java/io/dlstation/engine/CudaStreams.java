package io.dlstation.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives the calling thread a CUDA stream of its own on a device, so that the work of several threads
 * on one GPU (the serve workers of a model) can overlap: one worker's copies to and from the device
 * run while another's kernels do. DJL has no stream API, but PyTorch's current stream is per thread
 * and TorchScript can set it ({@code torch.cuda.set_stream} on a stream from PyTorch's pool); the
 * choice stays with the thread after the call returns.
 *
 * <p>Every tensor a thread makes afterwards is ordered on its stream. That suits threads whose device
 * work is their own from upload to download (the serve workers: each batch ends with a copy back to
 * the host, which waits for its stream); tensors shared between threads must be complete before they
 * are shared (model weights are loaded and synchronised before any worker starts).
 *
 * <p>{@code DLSTATION_CUDA_STREAMS=false} in the environment keeps every thread on the default
 * stream. A libtorch that cannot do this is logged once and then left alone.
 */
public final class CudaStreams {
    private static final Logger LOG = Logger.getLogger(CudaStreams.class.getName());
    private static final Map<Device, Boolean> BROKEN = new ConcurrentHashMap<>();

    private CudaStreams() {}

    /** Whether threads get their own streams (not turned off by the environment). */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getenv("DLSTATION_CUDA_STREAMS"));
    }

    /**
     * Makes a new stream from PyTorch's pool the current stream of the calling thread on {@code
     * device}; does nothing on the CPU, when turned off, or when this libtorch cannot.
     *
     * @return whether the thread now has its own stream
     */
    public static boolean useOwnStream(Device device) {
        if (!device.isGpu() || !enabled() || BROKEN.containsKey(device)) {
            return false;
        }
        try (NDManager manager = NDManager.newBaseManager(device, EngineBootstrap.ENGINE_NAME)) {
            IValueUtils.forward(module(device), new NDList(manager.zeros(new Shape(1))), false).close();
            return true;
        } catch (RuntimeException e) {
            BROKEN.put(device, true);
            LOG.log(Level.WARNING, "could not give serving threads CUDA streams of their own on " + device
                    + "; they share the default stream: " + e.getMessage());
            return false;
        }
    }

    private static PtSymbolBlock module(Device device) {
        return TorchScriptFunctions.module("own-stream", device, "OwnStream", "x: Tensor", "Tensor", String.join("\n",
                "s = __torch__.torch.classes.cuda.Stream.__new__(__torch__.torch.classes.cuda.Stream)",
                String.format(Locale.ROOT, "_0 = (s).__init__(torch.device(\"cuda:%d\"), 0)", device.getDeviceId()),
                "_1 = ops.cuda.set_stream(s)",
                "return x"));
    }
}
