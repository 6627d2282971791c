/**
 * The HTTP face of {@code dlstation serve} on Jetty's core API: handlers run on virtual threads, read
 * bodies with a size limit, call the model registry and the work-load manager, and answer with the
 * Open Inference Protocol (KServe v2), the seed-compatible {@code /predict} and {@code /stats}, the
 * repository API and Prometheus metrics. Errors map to statuses through {@link
 * io.dlstation.error.ErrorCode} only. Request times and the drain's deadline come from an injected
 * {@link io.dlstation.time.Ticker}; the threads that write large answers belong to the server.
 */
package io.dlstation.serve.http;
