/**
 * {@code dlstation serve}'s models: the model repository and folders ({@link io.dlstation.serve.ModelSpec}),
 * loading onto each device with warm-up ({@link io.dlstation.serve.ModelLoader}), the per-worker instance
 * that runs a batch through DJL, the registry that loads, reloads and unloads while serving, the
 * metrics, and the in-process ceiling of {@code bench serve}. The batching core is in
 * {@code serve.wlm}, the wire format in {@code serve.protocol}, the HTTP server in {@code serve.http}.
 */
package io.dlstation.serve;
