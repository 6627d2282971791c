/**
 * {@code dlstation serve}'s models: the model repository and folders ({@link io.dlstation.serve.ModelSpec}),
 * loading onto each device with warm-up ({@link io.dlstation.serve.ModelLoader}), the per-worker instance
 * that runs a batch through DJL, the registry that loads, reloads and unloads while serving, the
 * metrics, and the in-process ceiling of {@code bench serve}. The batching core is in
 * {@code serve.wlm}, the wire format in {@code serve.protocol}, the HTTP server in {@code serve.http}.
 *
 * <p>The door to serving is {@code serve.http}'s ModelServer; this package's face is what it and the
 * CLI use: {@link io.dlstation.serve.ModelRepository} and {@link io.dlstation.serve.ModelSpec} (what
 * to serve), {@link io.dlstation.serve.ModelRegistry} with {@link io.dlstation.serve.ServedModel} and
 * {@link io.dlstation.serve.ModelState} (what is served), {@link io.dlstation.serve.ModelLoader}, a
 * request as the workers see it ({@link io.dlstation.serve.InferInput}, {@link
 * io.dlstation.serve.InferOutput}, {@link io.dlstation.serve.OutputSpec}), {@link
 * io.dlstation.serve.ServeMetrics}, and {@link io.dlstation.serve.InProcessBench} for {@code bench
 * serve}. It passes the engine's out-of-memory recogniser to the work-load manager, which knows
 * nothing of the engine.
 */
package io.dlstation.serve;
