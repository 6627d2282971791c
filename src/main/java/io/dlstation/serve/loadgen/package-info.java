/**
 * {@code dlstation bench serve}: a load generator for a running server (closed loop at each concurrency,
 * or open loop at a fixed rate with latency counted from each request's intended send time), with
 * HdrHistogram percentiles and a results file; for soak runs, the server's memory and errors sampled
 * from its {@code /metrics} over the run and a verdict on their growth. Every time is read from an
 * injected {@link io.dlstation.time.Ticker}.
 *
 * <p>The door: {@link io.dlstation.serve.loadgen.LoadGenerator}, run with {@link
 * io.dlstation.serve.loadgen.LoadSettings}, gives a {@link io.dlstation.serve.loadgen.LoadReport};
 * LoadPoint, Steadiness, ServerTimes, ServerMetricsReport, ServerSample and SoakVerdict are public as
 * the parts of that report (and of its JSON).
 */
package io.dlstation.serve.loadgen;
