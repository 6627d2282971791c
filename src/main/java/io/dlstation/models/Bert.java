package io.dlstation.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dlstation.models.nn.Embedding;
import io.dlstation.models.nn.FusedAttention;
import io.dlstation.models.nn.LayerNorm;
import io.dlstation.models.nn.Linear;
import io.dlstation.models.nn.ParameterInit;
import io.dlstation.models.nn.ScriptedFunction;
import io.dlstation.models.nn.TorchModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BERT exactly as Hugging Face's {@code BertModel} defines it: word, position and token-type
 * embeddings with LayerNorm, post-norm encoder layers (self-attention, GELU feed-forward), a tanh
 * pooler on [CLS]. Initialised like Hugging Face (normal 0.02, zero biases, the padding row zero).
 *
 * <p>Inputs: token ids (B, S) int64, then optionally token types (B, S) int64 and an attention mask
 * (B, S) with 1 for tokens and 0 for padding. Outputs: the sequence output (B, S, H) and the pooled
 * output (B, H).
 *
 * <p>Attention runs query, key and value as one matmul: each layer holds them as one fused
 * parameter {@code attention.self.qkv} and {@link #fromHuggingFace} concatenates Hugging Face's
 * three. The attention itself is PyTorch's fused scaled-dot-product kernel (through {@link
 * FusedAttention}), which never materialises the (B, h, S, S) scores; where the engine cannot run it,
 * plain matmul + softmax with the scale folded into the query. Pass no mask when no position is padding:
 * the attention then runs unmasked, which lets PyTorch pick its fastest kernel.
 */
public final class Bert extends TorchModule {
    /** Added to attention scores of padding positions; far below any score, and finite in fp16. */
    static final float MASKED = -10000f;

    private final BertConfig config;
    private final Embeddings embeddings;
    private final Layer[] layers;
    private final Linear pooler;
    private boolean fusedPreferred = true;
    private boolean fusedChecked;

    public Bert(BertConfig config) {
        this.config = config;
        embeddings = module("embeddings", new Embeddings(config));
        Sequence encoder = module("encoder", new Sequence());
        layers = new Layer[config.layers()];
        Sequence layerList = encoder.moduleOf("layer", new Sequence());
        for (int i = 0; i < layers.length; i++) {
            layers[i] = layerList.moduleOf(Integer.toString(i), new Layer(config));
        }
        pooler = module("pooler", new Pooler(config)).dense;
    }

    public BertConfig config() {
        return config;
    }

    /**
     * Chooses the attention kernel: PyTorch's fused scaled-dot-product attention (the default where
     * the engine runs it) or plain matmul + softmax.
     */
    public Bert useFusedAttention(boolean fused) {
        fusedPreferred = fused;
        fusedChecked = true;
        for (Layer layer : layers) {
            layer.fused = fused;
        }
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray types = inputs.size() > 1 && inputs.get(1) != null ? inputs.get(1) : null;
        NDArray mask = inputs.size() > 2 ? inputs.get(2) : null;
        if (!fusedChecked) {
            useFusedAttention(fusedPreferred && FusedAttention.available(ids.getDevice()));
            fusedChecked = true;
        }
        NDArray hidden = embeddings.embed(ids, types, training);
        NDArray maskBias = attentionBias(mask, hidden.getDataType());
        for (Layer layer : layers) {
            hidden = layer.run(hidden, maskBias, training);
        }
        NDArray cls = hidden.get(":, 0, :");
        NDArray pooled = pooler.apply(cls, training).tanh();
        return new NDList(hidden, pooled);
    }

    /**
     * (B, 1, 1, S) additive bias for padding positions, or null without a mask. Whether a given mask
     * holds any padding is not checked: reading it back would wait for the device on every forward pass.
     */
    private static NDArray attentionBias(NDArray mask, DataType type) {
        if (mask == null) {
            return null;
        }
        Shape s = mask.getShape();
        return mask.toType(type, false).neg().add(1).mul(MASKED).reshape(s.get(0), 1, 1, s.get(1));
    }

    /**
     * A Hugging Face {@code BertModel} state dict in this model's names: query, key and value of each
     * layer are concatenated into {@code qkv}; keys of other models (e.g. a "bert." prefix) pass
     * through unchanged.
     */
    public static Map<String, NDArray> fromHuggingFace(Map<String, NDArray> state, String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(prefix) && key.contains(".attention.self.")) {
                String layer = key.substring(0, key.indexOf(".attention.self.") + ".attention.self.".length());
                String kind = key.endsWith(".weight") ? "weight" : "bias";
                String fused = layer + "qkv." + kind;
                if (!out.containsKey(fused)) {
                    NDArray q = state.get(layer + "query." + kind);
                    NDArray k = state.get(layer + "key." + kind);
                    NDArray v = state.get(layer + "value." + kind);
                    if (q == null || k == null || v == null) {
                        throw new IllegalArgumentException("state dict has an incomplete attention at " + layer);
                    }
                    out.put(fused, q.concat(k, 0).concat(v, 0));
                }
            } else {
                out.put(key, e.getValue());
            }
        }
        return out;
    }

    /** A container that only names its children ("encoder", "layer"). */
    static class Sequence extends TorchModule {
        <M extends TorchModule> M moduleOf(String name, M m) {
            return module(name, m);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            throw new UnsupportedOperationException("a naming container; its owner runs the children");
        }
    }

    static final class Embeddings extends TorchModule {
        private final Embedding word;
        private final Embedding position;
        private final Embedding tokenType;
        private final LayerNorm norm;
        private final float dropout;

        Embeddings(BertConfig c) {
            ParameterInit init = ParameterInit.normal(0.02f);
            // Hugging Face zeroes the padding token's row (pad_token_id 0).
            ParameterInit wordInit = (m, s) -> {
                NDArray w = init.create(m, s);
                w.set(new ai.djl.ndarray.index.NDIndex("0, :"), 0f);
                return w;
            };
            word = module("word_embeddings", new Embedding(c.vocabSize(), c.hiddenSize(), wordInit));
            position = module("position_embeddings", new Embedding(c.maxPositions(), c.hiddenSize(), init));
            tokenType = module("token_type_embeddings", new Embedding(c.typeVocabSize(), c.hiddenSize(), init));
            norm = module("LayerNorm", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
            dropout = c.dropout();
        }

        NDArray embed(NDArray ids, NDArray types, boolean training) {
            NDManager m = ids.getManager();
            long seq = ids.getShape().get(1);
            NDArray positions = m.arange(0, seq, 1, DataType.INT64, ids.getDevice());
            NDArray x = word.apply(ids, training).add(position.apply(positions, training));
            NDArray t = types != null ? types : m.zeros(ids.getShape(), DataType.INT64, ids.getDevice());
            x = x.add(tokenType.apply(t, training));
            return drop(norm.apply(x, training), dropout, training);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(embed(inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
        }
    }

    /** One encoder layer, named as Hugging Face's {@code BertLayer}. */
    static final class Layer extends TorchModule {
        private final Linear qkv;
        private final Linear attentionOut;
        private final LayerNorm attentionNorm;
        private final Linear intermediate;
        private final Linear output;
        private final LayerNorm outputNorm;
        private final int heads;
        private final float dropout;
        private final float eps;
        private boolean fused;

        Layer(BertConfig c) {
            int h = c.hiddenSize();
            heads = c.heads();
            dropout = c.dropout();
            eps = c.layerNormEps();
            ParameterInit w = ParameterInit.normal(0.02f);
            ParameterInit zero = ParameterInit.zeros();
            Sequence attention = module("attention", new Sequence());
            Sequence self = attention.moduleOf("self", new Sequence());
            qkv = self.moduleOf("qkv", new Linear(h, 3 * h, w, zero));
            Sequence attentionOutput = attention.moduleOf("output", new Sequence());
            attentionOut = attentionOutput.moduleOf("dense", new Linear(h, h, w, zero));
            attentionNorm = attentionOutput.moduleOf("LayerNorm", new LayerNorm(h, c.layerNormEps()));
            intermediate = module("intermediate", new Sequence()).moduleOf("dense",
                    new Linear(h, c.intermediateSize(), w, zero));
            Sequence out = module("output", new Sequence());
            output = out.moduleOf("dense", new Linear(c.intermediateSize(), h, w, zero));
            outputNorm = out.moduleOf("LayerNorm", new LayerNorm(h, c.layerNormEps()));
        }

        NDArray run(NDArray x, NDArray maskBias, boolean training) {
            if (fused) {
                ScriptedFunction script = BertScripts.layer(x.getShape().get(2), heads, dropout, eps, maskBias != null);
                return maskBias == null ? script.call(x, parameterArrays(), training)
                        : script.call(x, maskBias, parameterArrays(), training);
            }
            Shape s = x.getShape();
            long b = s.get(0);
            long seq = s.get(1);
            long hidden = s.get(2);
            long d = hidden / heads;
            // (B, S, 3H) split into three (B, S, H) views, each seen as (B, heads, S, d). A split's
            // backward is one concatenation; selecting from a stacked (3, ...) view would instead fill
            // a zero tensor of the whole projection per selection.
            NDList parts = qkv.apply(x, training).split(3, 2);
            NDArray q = heads(parts.get(0), b, seq, d);
            NDArray k = heads(parts.get(1), b, seq, d);
            NDArray v = heads(parts.get(2), b, seq, d);
            NDArray perHead = fused
                    ? FusedAttention.attend(q, k, v, maskBias, dropout, training)
                    : plainAttention(q, k, v, maskBias, d, training);
            NDArray context = perHead.transpose(0, 2, 1, 3).reshape(b, seq, hidden);
            NDArray attended = attentionNorm.apply(
                    drop(attentionOut.apply(context, training), dropout, training).add(x), training);
            NDArray ff = Activation.gelu(intermediate.apply(attended, training));
            return outputNorm.apply(drop(output.apply(ff, training), dropout, training).add(attended), training);
        }

        private NDArray heads(NDArray x, long b, long seq, long d) {
            return x.reshape(b, seq, heads, d).transpose(0, 2, 1, 3);
        }

        /** Matmul, softmax, dropout, matmul: what DJL's own ops give, and the fallback. */
        private NDArray plainAttention(NDArray q, NDArray k, NDArray v, NDArray maskBias, long d, boolean training) {
            NDArray scores = q.mul((float) (1.0 / Math.sqrt(d))).matMul(k.transpose(0, 1, 3, 2));
            if (maskBias != null) {
                scores = scores.add(maskBias);
            }
            return drop(scores.softmax(-1), dropout, training).matMul(v);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(run(inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
        }
    }

    static final class Pooler extends TorchModule {
        final Linear dense;

        Pooler(BertConfig c) {
            dense = module("dense", new Linear(c.hiddenSize(), c.hiddenSize(), ParameterInit.normal(0.02f),
                    ParameterInit.zeros()));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(dense.apply(inputs.singletonOrThrow(), training).tanh());
        }
    }

    static NDArray drop(NDArray x, float rate, boolean training) {
        return training && rate > 0 ? Dropout.dropout(x, rate, true).head() : x;
    }
}
