package io.dlstation.models;

import io.dlstation.models.nn.ScriptedFunction;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Bert} encoder layer as one TorchScript function, as Hugging Face's {@code BertLayer} computes
 * it: fused query/key/value projection, PyTorch's fused scaled-dot-product attention, output projection
 * with dropout, residual and LayerNorm, GELU feed-forward with dropout, residual and LayerNorm. The
 * parameters come in the layer's state-dict order: qkv weight and bias, attention output dense weight
 * and bias, its LayerNorm weight and bias, intermediate dense, output dense, output LayerNorm. The
 * residual additions run in place on the dropout's output (neither dropout nor a linear layer needs its
 * output for backward).
 */
final class BertScripts {
    private static final Map<String, ScriptedFunction> FUNCTIONS = new ConcurrentHashMap<>();

    private BertScripts() {}

    /**
     * The layer for hidden size {@code hidden} and {@code heads} heads; {@code masked} takes an additive
     * attention bias (B, 1, 1, S) as the second input.
     */
    static ScriptedFunction layer(long hidden, int heads, float dropout, float eps, boolean masked) {
        String key = String.format(Locale.ROOT, "bert-layer/%d/%d/%s/%s/%s", hidden, heads, Float.toString(dropout),
                Float.toString(eps), masked);
        return FUNCTIONS.computeIfAbsent(key, k -> {
            long d = hidden / heads;
            String p = Float.toString(dropout);
            String e = Float.toString(eps);
            String body = "b = torch.size(x, 0)\n"
                    + "s = torch.size(x, 1)\n"
                    + "parts = torch.split(torch.linear(x, p[0], p[1]), " + hidden + ", 2)\n"
                    + "q = torch.transpose(torch.reshape(parts[0], [b, s, " + heads + ", " + d + "]), 1, 2)\n"
                    + "k = torch.transpose(torch.reshape(parts[1], [b, s, " + heads + ", " + d + "]), 1, 2)\n"
                    + "v = torch.transpose(torch.reshape(parts[2], [b, s, " + heads + ", " + d + "]), 1, 2)\n"
                    + "attention_dropout = " + p + "\n"
                    + "if not training:\n"
                    + "  attention_dropout = 0.0\n"
                    + "context = torch.scaled_dot_product_attention(q, k, v, " + (masked ? "extra" : "None")
                    + ", attention_dropout)\n"
                    + "context = torch.reshape(torch.transpose(context, 1, 2), [b, s, " + hidden + "])\n"
                    + "a = torch.dropout(torch.linear(context, p[2], p[3]), " + p + ", training)\n"
                    + "a = torch.layer_norm(torch.add_(a, x), [" + hidden + "], p[4], p[5], " + e + ", True)\n"
                    + "f = torch.gelu(torch.linear(a, p[6], p[7]))\n"
                    + "f = torch.dropout(torch.linear(f, p[8], p[9]), " + p + ", training)\n"
                    + "return torch.layer_norm(torch.add_(f, a), [" + hidden + "], p[10], p[11], " + e + ", True)";
            return masked ? ScriptedFunction.ofInputAndExtra(k, "BertLayer", body)
                    : ScriptedFunction.ofInput(k, "BertLayer", body);
        });
    }
}
