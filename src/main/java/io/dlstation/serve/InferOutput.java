package io.dlstation.serve;

import io.dlstation.serve.protocol.HostTensor;
import java.util.List;

/** One request's outputs: a tensor per model output, in order, holding that request's rows. */
public record InferOutput(List<HostTensor> tensors) {

    public InferOutput {
        tensors = List.copyOf(tensors);
    }
}
