package io.dlstation.bench;

import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated benchmark request.
 *
 * @param kind "train" or "infer"
 * @param seqLengths sequence lengths for sequence models (one point per length and batch size)
 * @param maxBatchLimit the largest batch {@code --find-max-batch} tries
 * @param stopOnOom stop the sweep at the first out-of-memory point (the seed's behaviour)
 * @param channelsLast NHWC memory layout for image models
 */
public record BenchSettings(String kind, BenchModel model, List<Integer> batchSizes, List<Integer> seqLengths,
        List<Precision> precisions, int warmup, int iterations, boolean withOptimizer, boolean findMaxBatch,
        int maxBatchLimit, boolean stopOnOom, boolean channelsLast, long seed, Path out) {

    /** BERT's learned position embeddings end at 512. */
    public static final int MAX_SEQ_LENGTH = 512;

    public BenchSettings {
        batchSizes = List.copyOf(batchSizes);
        seqLengths = List.copyOf(seqLengths);
        precisions = List.copyOf(precisions);
        if (batchSizes.isEmpty()) {
            throw DlstationException.badInput("--batch-sizes is empty; give at least one, e.g. 16,32,64");
        }
        for (int b : batchSizes) {
            if (b < 1) {
                throw DlstationException.badInput("batch size " + b + " < 1; batch sizes must be 1 or more");
            }
        }
        for (int s : seqLengths) {
            if (s < 1 || s > MAX_SEQ_LENGTH) {
                throw DlstationException.badInput("sequence length " + s + " is outside 1.." + MAX_SEQ_LENGTH
                        + " (BERT's position embeddings end at " + MAX_SEQ_LENGTH + ")");
            }
        }
        if (model.isSequenceModel() && seqLengths.isEmpty()) {
            throw DlstationException.badInput("--model " + model + " needs --seq-lengths, e.g. 128,256,512");
        }
        if (!model.isSequenceModel() && !seqLengths.isEmpty()) {
            throw DlstationException.badInput("--seq-lengths applies to sequence models only, not " + model);
        }
        if (maxBatchLimit < 1) {
            throw DlstationException.badInput("--max-batch-limit " + maxBatchLimit + " < 1");
        }
        if (warmup < 0 || iterations < 1) {
            throw DlstationException.badInput("--warmup must be >= 0 and --iterations >= 1 (got " + warmup + ", "
                    + iterations + ")");
        }
        if (kind.equals("train") && precisions.contains(Precision.FP16)) {
            throw DlstationException.badInput("--precision fp16 is for inference; train with fp16-mixed "
                    + "(float16 compute, float32 master weights, loss scaling)");
        }
        if (kind.equals("infer") && precisions.contains(Precision.FP16_MIXED)) {
            throw DlstationException.badInput("--precision fp16-mixed is for training; use fp16 for inference");
        }
    }

    /** Every point of the sweep, in the order they run: precision, then sequence length, then batch size. */
    public List<PointSpec> points() {
        List<Integer> lengths = seqLengths.isEmpty() ? java.util.Collections.singletonList(null) : seqLengths;
        java.util.ArrayList<PointSpec> points = new java.util.ArrayList<>();
        for (Precision p : precisions) {
            for (Integer s : lengths) {
                for (int b : batchSizes.stream().sorted().toList()) {
                    points.add(new PointSpec(model, kind, p, b, s, withOptimizer));
                }
            }
        }
        return points;
    }
}
