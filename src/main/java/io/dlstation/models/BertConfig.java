package io.dlstation.models;

/**
 * The shape of a BERT model, with Hugging Face's names ({@code BertConfig}).
 *
 * @param dropout hidden and attention-probability dropout (both 0.1 in BERT-base)
 */
public record BertConfig(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize,
        int maxPositions, int typeVocabSize, float layerNormEps, float dropout) {

    public BertConfig {
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not a multiple of heads " + heads);
        }
        if (vocabSize < 1 || layers < 1 || intermediateSize < 1 || maxPositions < 1 || typeVocabSize < 1) {
            throw new IllegalArgumentException("sizes must be >= 1: " + this);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout not in [0, 1): " + dropout);
        }
    }

    /** {@code bert-base-uncased}: vocab 30522, hidden 768, 12 layers, 12 heads, intermediate 3072. */
    public static BertConfig base() {
        return new BertConfig(30522, 768, 12, 12, 3072, 512, 2, 1e-12f, 0.1f);
    }

    /** Google's BERT-mini ({@code bert_uncased_L-4_H-256_A-4}): 4 layers, hidden 256, 4 heads. */
    public static BertConfig mini() {
        return new BertConfig(30522, 256, 4, 4, 1024, 512, 2, 1e-12f, 0.1f);
    }

    /** Google's BERT-tiny ({@code bert_uncased_L-2_H-128_A-2}): 2 layers, hidden 128, 2 heads. */
    public static BertConfig tiny() {
        return new BertConfig(30522, 128, 2, 2, 512, 512, 2, 1e-12f, 0.1f);
    }
}
