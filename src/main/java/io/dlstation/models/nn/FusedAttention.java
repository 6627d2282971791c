package io.dlstation.models.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import io.dlstation.engine.TorchScriptFunctions;
import java.util.Locale;

/**
 * PyTorch's fused {@code scaled_dot_product_attention} (flash or memory-efficient kernels on CUDA),
 * reached through a TorchScript module ({@link TorchScriptFunctions}) because DJL's JNI has no binding
 * for it. One module per device, dropout and mask variant.
 *
 * <p>Thread-safe: TorchScript methods may be called from several threads.
 */
public final class FusedAttention {
    private FusedAttention() {}

    /**
     * softmax(q k^T / sqrt(d) + mask) v, with dropout on the probabilities when {@code dropout} > 0.
     *
     * @param q (B, heads, S, d); k and v the same
     * @param mask an additive (B, 1, 1, S) bias of q's type, or null
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, float dropout, boolean training) {
        float p = training ? dropout : 0f;
        PtSymbolBlock module = module(q.getDevice(), p, mask != null);
        NDList inputs = mask == null ? new NDList(q, k, v) : new NDList(q, k, v, mask);
        return IValueUtils.forward(module, inputs, training).singletonOrThrow();
    }

    /** Whether the engine can run the fused kernel (loads the module once to find out). */
    public static boolean available(Device device) {
        try {
            module(device, 0f, false);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static PtSymbolBlock module(Device device, float dropout, boolean masked) {
        String parameters = "q: Tensor,\n    k: Tensor,\n    v: Tensor" + (masked ? ",\n    mask: Tensor" : "");
        String body = "return torch.scaled_dot_product_attention(q, k, v, " + (masked ? "mask" : "None") + ", "
                + String.format(Locale.ROOT, "%.6f", dropout) + ")";
        return TorchScriptFunctions.module("attention/" + dropout + "/" + masked, device, "Attention", parameters,
                "Tensor", body);
    }
}
