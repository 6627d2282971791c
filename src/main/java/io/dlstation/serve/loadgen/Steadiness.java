package io.dlstation.serve.loadgen;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Locale;

/**
 * Whether a level's throughput held over its measured time: the successful requests of its first and
 * second halves, per second. A server that has just started can run well below its steady rate for
 * tens of seconds (its first batches of each size, the JIT), and a warm-up too short for that makes one
 * measurement look slow next to another; a throughput that falls instead points at throttling or a
 * leak. Either way the level is flagged, with what to do.
 *
 * @param firstHalfRequestsPerSecond successful requests per second sent in the first half
 * @param secondHalfRequestsPerSecond the same for the second half
 */
@JsonPropertyOrder({"first_half_requests_per_second", "second_half_requests_per_second", "steady"})
public record Steadiness(double firstHalfRequestsPerSecond, double secondHalfRequestsPerSecond) {
    /** The change between halves, as a fraction of the first, beyond which a level is not steady. */
    static final double TOLERANCE = 0.10;

    /** From the successful requests of each half of {@code seconds} of measurement. */
    static Steadiness of(long firstHalfOk, long secondHalfOk, double seconds) {
        double half = seconds / 2;
        return new Steadiness(Math.round(firstHalfOk / half * 10) / 10.0, Math.round(secondHalfOk / half * 10) / 10.0);
    }

    /** Whether the halves agree within {@link #TOLERANCE} (both empty counts as steady). */
    @JsonProperty("steady")
    public boolean steady() {
        if (firstHalfRequestsPerSecond <= 0 || secondHalfRequestsPerSecond <= 0) {
            return secondHalfRequestsPerSecond == firstHalfRequestsPerSecond;
        }
        return Math.abs(secondHalfRequestsPerSecond / firstHalfRequestsPerSecond - 1) <= TOLERANCE;
    }

    /** The line that tells what an unsteady level means and what to do; null when steady. */
    @JsonIgnore
    public String warning(int concurrency) {
        if (steady()) {
            return null;
        }
        String halves = String.format(Locale.ROOT, "concurrency %d: %.1f req/s in the first half of the measured time, "
                + "%.1f in the second", concurrency, firstHalfRequestsPerSecond, secondHalfRequestsPerSecond);
        if (secondHalfRequestsPerSecond > firstHalfRequestsPerSecond) {
            return halves + ": the server was still warming up (a freshly started one can take half a minute); "
                    + "measure again with a longer --warmup, or after a first run";
        }
        return halves + ": the server slowed down as it ran (GPU clocks, memory, another load on the host); "
                + "check its /metrics and nvidia-smi, and measure again";
    }
}
