package io.dlstation.serve.http;

import io.dlstation.error.DlstationException;
import io.dlstation.serve.ModelSpec;
import io.dlstation.serve.protocol.HostTensor;
import io.dlstation.serve.protocol.TopK;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code /predict}, as the seed's server gave it and more: {@code prediction} (the class
 * probabilities), {@code confidence} (the largest), {@code label} and {@code class_index} of the best
 * class, {@code top_k} and {@code latency_ms}. A model without softmax post-processing gets it here.
 */
final class Prediction {
    private Prediction() {}

    static Map<String, Object> of(HostTensor output, ModelSpec spec, double latencyMs) {
        long classes = output.elements();
        if (classes < 1 || classes > 1_000_000) {
            throw DlstationException.badInput("model '" + spec.name() + "' output '" + output.name() + "' holds "
                    + classes + " values; /predict needs class scores: use POST /v2/models/" + spec.name() + "/infer");
        }
        double[] p = new double[(int) classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            p[i] = output.getDouble(i);
            max = Math.max(max, p[i]);
        }
        if (!spec.softmax()) {
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.exp(p[i] - max);
                sum += p[i];
            }
            for (int i = 0; i < p.length; i++) {
                p[i] /= sum;
            }
        }
        List<Double> probabilities = new ArrayList<>(p.length);
        for (double v : p) {
            probabilities.add(v);
        }
        int k = spec.description().topK();
        HostTensor scores = new HostTensor(output.name(), io.dlstation.serve.protocol.TensorType.FP64,
                new long[] {p.length}, toBytes(p));
        int[] top = TopK.indices(scores, 0, p.length, k);
        List<Map<String, Object>> topK = new ArrayList<>();
        for (int index : top) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("label", label(spec, index));
            entry.put("index", index);
            entry.put("probability", p[index]);
            topK.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", spec.name());
        body.put("prediction", probabilities);
        body.put("confidence", p[top[0]]);
        body.put("label", label(spec, top[0]));
        body.put("class_index", top[0]);
        body.put("top_k", topK);
        body.put("latency_ms", Math.round(latencyMs * 1000) / 1000.0);
        return body;
    }

    private static String label(ModelSpec spec, int index) {
        return index < spec.labels().size() ? spec.labels().get(index) : Integer.toString(index);
    }

    private static java.nio.ByteBuffer toBytes(double[] values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.flip();
    }
}
