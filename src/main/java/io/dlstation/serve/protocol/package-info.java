/**
 * The Open Inference Protocol (KServe v2) on the wire, with no server and no engine in it: tensor
 * types, host tensors, the JSON and binary-extension request decoder and response encoder, and the
 * seed-compatible {@code /predict} body (JSON data or an image).
 *
 * <p>The door: {@link io.dlstation.serve.protocol.InferRequestDecoder} reads an {@link
 * io.dlstation.serve.protocol.InferRequest}, {@link io.dlstation.serve.protocol.InferResponseEncoder}
 * writes {@link io.dlstation.serve.protocol.OutputTensor}s, and {@link
 * io.dlstation.serve.protocol.PredictBody} reads {@code /predict}; {@link
 * io.dlstation.serve.protocol.HostTensor}, {@link io.dlstation.serve.protocol.TensorType} and {@link
 * io.dlstation.serve.protocol.InputSpec} are the values they carry, {@link
 * io.dlstation.serve.protocol.TopK} serves the classification extension and {@link
 * io.dlstation.serve.protocol.PooledJson} the shared Jackson factories.
 */
package io.dlstation.serve.protocol;
