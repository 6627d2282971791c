/**
 * The Open Inference Protocol (KServe v2) on the wire, with no server and no engine in it: tensor
 * types, host tensors, the JSON and binary-extension request decoder and response encoder, and the
 * seed-compatible {@code /predict} body (JSON data or an image).
 */
package io.dlstation.serve.protocol;
