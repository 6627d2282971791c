package io.dlstation.serve.protocol;

import java.util.List;

/**
 * One output of a response: a tensor, or with the classification extension its top-k classes as
 * strings {@code "score:index"} or {@code "score:index:label"} (datatype BYTES, shape [batch, k]).
 *
 * @param tensor the output values (one request's rows)
 * @param binary whether the data goes in the binary extension
 * @param classification k for top-k classes, 0 for the raw tensor
 * @param labels class names in index order (may be empty)
 */
public record OutputTensor(HostTensor tensor, boolean binary, int classification, List<String> labels) {

    public OutputTensor {
        labels = labels == null ? List.of() : labels;
    }
}
