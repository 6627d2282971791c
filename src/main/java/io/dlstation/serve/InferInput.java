package io.dlstation.serve;

import io.dlstation.serve.protocol.HostTensor;
import java.util.List;

/**
 * One request's inputs as a worker takes them: a tensor per model input, in the model's input order,
 * each holding {@code samples} samples.
 */
public record InferInput(List<HostTensor> tensors, int samples) {

    public InferInput {
        tensors = List.copyOf(tensors);
    }
}
