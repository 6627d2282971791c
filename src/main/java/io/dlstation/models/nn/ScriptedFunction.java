package io.dlstation.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import io.dlstation.engine.TorchScriptFunctions;
import java.util.Objects;

/**
 * A piece of a model written as one TorchScript function of its input, the module's parameters (a
 * {@code List[Tensor]}) and the training flag, run with autograd like any other operation.
 *
 * <p>Why: run op by op through DJL, every intermediate of a forward pass is a Java-owned array that
 * lives until its step's manager closes, so a training step holds every activation of the network at
 * once, saved by autograd or not; and each operation is its own JNI call and array object. Inside a
 * TorchScript function the interpreter frees a temporary after its last use, exactly as PyTorch eager
 * does (autograd keeps what backward needs), activations can be changed in place where autograd allows
 * it ({@code relu_} after a batch norm, as torchvision does), and the whole piece is one call. Java
 * holds only the function's output.
 *
 * <p>Thread-safe: TorchScript methods may be called from several threads; the module is loaded once
 * per device.
 */
public final class ScriptedFunction {
    private final String key;
    private final String className;
    private final String parameters;
    private final String body;

    /**
     * @param key names the function in the per-device cache; equal keys must have equal sources
     * @param className the TorchScript class name (an identifier)
     * @param parameters the forward's parameters after {@code self}, e.g. {@code "x: Tensor,\n    p:
     *     List[Tensor],\n    training: bool"}
     * @param body the forward's body returning a {@code Tensor}, one statement per line
     */
    public ScriptedFunction(String key, String className, String parameters, String body) {
        this.key = Objects.requireNonNull(key, "key");
        this.className = Objects.requireNonNull(className, "className");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.body = Objects.requireNonNull(body, "body");
    }

    /** A function of {@code (x: Tensor, p: List[Tensor], training: bool)}. */
    public static ScriptedFunction ofInput(String key, String className, String body) {
        return new ScriptedFunction(key, className, "x: Tensor,\n    p: List[Tensor],\n    training: bool", body);
    }

    /** A function of {@code (x: Tensor, extra: Tensor, p: List[Tensor], training: bool)}. */
    public static ScriptedFunction ofInputAndExtra(String key, String className, String body) {
        return new ScriptedFunction(key, className,
                "x: Tensor,\n    extra: Tensor,\n    p: List[Tensor],\n    training: bool", body);
    }

    /** Runs the function on {@code x}; the result belongs to {@code x}'s manager. */
    public NDArray call(NDArray x, NDArray[] tensors, boolean training) {
        return invoke(x, null, tensors, training);
    }

    /** Runs a function that takes a second tensor input (e.g. an attention mask). */
    public NDArray call(NDArray x, NDArray extra, NDArray[] tensors, boolean training) {
        return invoke(x, Objects.requireNonNull(extra, "extra"), tensors, training);
    }

    /** The TorchScript source of the forward method, for tests and messages. */
    public String body() {
        return body;
    }

    private NDArray invoke(NDArray x, NDArray extra, NDArray[] tensors, boolean training) {
        PtSymbolBlock module = TorchScriptFunctions.module(key, x.getDevice(), className, parameters, "Tensor", body);
        PtNDArray[] list = new PtNDArray[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            list[i] = (PtNDArray) tensors[i];
        }
        IValue input = IValue.from((PtNDArray) x);
        IValue second = extra == null ? null : IValue.from((PtNDArray) extra);
        IValue params = IValue.listFrom(list);
        IValue flag = IValue.from(training);
        try {
            IValue[] inputs = second == null ? new IValue[] {input, params, flag}
                    : new IValue[] {input, second, params, flag};
            IValue out = TorchScriptFunctions.forward(module, inputs, JniUtils.isGradMode());
            try {
                return out.toTensor((PtNDManager) x.getManager());
            } finally {
                out.close();
            }
        } finally {
            input.close();
            if (second != null) {
                second.close();
            }
            params.close();
            flag.close();
        }
    }
}
