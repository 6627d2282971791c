package io.dlstation.serve.loadgen;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The measurement of one concurrency level. Latencies are in milliseconds: from sending a request to its
 * answer in a closed loop, from its intended send time in an open loop.
 *
 * @param concurrency requests in flight at once (closed) or their cap (open)
 * @param requests requests answered in the measured time
 * @param ok answered 200
 * @param statuses answers by status, and {@code "error"} for requests that got no answer
 * @param seconds the measured time
 * @param requestsPerSecond successful requests per second
 * @param samplesPerSecond successful samples per second (requests times batch)
 * @param steadiness the throughput of each half of the measured time
 * @param server where the time went inside the server, from its metrics; null when it exports none
 */
@JsonPropertyOrder({"concurrency", "requests", "ok", "statuses", "seconds", "requests_per_second", "samples_per_second",
    "latency_ms", "steadiness", "server"})
public record LoadPoint(int concurrency, long requests, long ok, Map<String, Long> statuses, double seconds,
        double requestsPerSecond, double samplesPerSecond, Latency latencyMs, Steadiness steadiness,
        @JsonInclude(JsonInclude.Include.NON_NULL) ServerTimes server) {

    /** Latency percentiles of the successful requests, in milliseconds. */
    @JsonPropertyOrder({"mean", "p50", "p90", "p99", "p99_9", "max"})
    public record Latency(double mean, double p50, double p90, double p99, double p99_9, double max) {}
}
