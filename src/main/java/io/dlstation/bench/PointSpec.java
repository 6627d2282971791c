package io.dlstation.bench;

import io.dlstation.engine.Precision;

/**
 * What one point measures.
 *
 * @param kind "train" or "infer"
 * @param seqLength null for image models
 */
public record PointSpec(BenchModel model, String kind, Precision precision, int batchSize, Integer seqLength,
        boolean withOptimizer) {

    /** "batch 64" or "batch 32, sequence 512", for progress and errors. */
    public String describe() {
        return model + " " + precision + " batch " + batchSize + (seqLength == null ? "" : ", sequence " + seqLength);
    }
}
