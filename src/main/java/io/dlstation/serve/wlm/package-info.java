/**
 * The work-load manager of {@code dlstation serve}: per model a bounded queue with two priority levels,
 * per-request deadlines, dynamic batch formation (max size, max delay, preferred sizes) and the worker
 * threads that run batches. It knows nothing of HTTP, DJL or the engine: a {@link
 * io.dlstation.serve.wlm.BatchRunner} runs the batches, which failures are the device running out of
 * memory is an injected predicate (serve passes the engine's recogniser), and time comes from an
 * injected {@link io.dlstation.time.Ticker} and {@link io.dlstation.time.Scheduler}.
 *
 * <p>The door: a {@link io.dlstation.serve.wlm.BatchingQueue} (with its {@link
 * io.dlstation.serve.wlm.BatchingPolicy} and {@link io.dlstation.serve.wlm.Priority}) and the {@link
 * io.dlstation.serve.wlm.ModelWorkers} that take from it, reporting to a {@link
 * io.dlstation.serve.wlm.WorkloadListener}; {@link io.dlstation.serve.wlm.Failures} words a failed
 * batch.
 */
package io.dlstation.serve.wlm;
