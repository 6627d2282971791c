/**
 * {@code dlstation bench serve}: a load generator for a running server (closed loop at each concurrency,
 * or open loop at a fixed rate with latency counted from each request's intended send time), with
 * HdrHistogram percentiles and a results file; for soak runs, the server's memory and errors sampled
 * from its {@code /metrics} over the run and a verdict on their growth. Every time is read from an
 * injected {@link io.dlstation.time.Ticker}.
 */
package io.dlstation.serve.loadgen;
