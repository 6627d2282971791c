package io.dlstation.serve.protocol;

import java.util.List;
import java.util.Map;

/**
 * A decoded inference request of the Open Inference Protocol.
 *
 * @param id the client's request id, echoed in the response (may be null)
 * @param parameters request parameters ({@code priority}, {@code timeout}, {@code binary_data_output}, ...)
 * @param inputs the input tensors, batch dimension first
 * @param outputs the outputs asked for, empty for all
 */
public record InferRequest(String id, Map<String, Object> parameters, List<HostTensor> inputs,
        List<RequestedOutput> outputs) {

    public InferRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        inputs = List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** Whether every output is wanted as binary data (the {@code binary_data_output} parameter). */
    public boolean binaryOutputs() {
        return Boolean.TRUE.equals(parameters.get("binary_data_output"));
    }

    /**
     * One output a request asks for.
     *
     * @param name the output's name
     * @param binary whether its data comes back in the binary extension
     * @param classification top-k classification instead of the raw tensor (0: raw)
     */
    public record RequestedOutput(String name, boolean binary, int classification) {}
}
