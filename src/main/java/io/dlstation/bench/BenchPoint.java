package io.dlstation.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One measured point of a sweep. Times in milliseconds; an out-of-memory point has {@code oom} true
 * and no timings.
 *
 * @param batchSize samples per device
 * @param devices devices training data parallel (1 for one device): {@code samplesPerS} counts all of them
 * @param stepMs mean wall time of a step (training) or of a batch (inference), device-synchronised
 * @param hostMs wall time the host spends issuing one step before the device has finished it (the
 *     Java-side cost; see docs/BENCH.md)
 * @param peakMemoryBytes the highest memory reading while the point ran (see {@code memorySource})
 * @param peakAllocatedBytes the CUDA caching allocator's peak of memory held by tensors during the point
 *     ({@code torch.cuda.max_memory_allocated}); null on the CPU
 * @param peakReservedBytes the allocator's peak of memory taken from the driver; null on the CPU
 * @param p50Ms inference latency percentiles, null for training
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"model", "kind", "precision", "batch_size", "devices", "seq_length", "step_ms", "samples_per_s",
    "peak_memory_bytes", "memory_source", "peak_allocated_bytes", "peak_reserved_bytes", "host_ms", "p50_ms", "p90_ms", "p99_ms", "iterations", "with_optimizer",
    "oom", "error"})
public record BenchPoint(
        @JsonProperty("model") String model,
        @JsonProperty("kind") String kind,
        @JsonProperty("precision") String precision,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("devices") int devices,
        @JsonProperty("seq_length") Integer seqLength,
        @JsonProperty("step_ms") Double stepMs,
        @JsonProperty("samples_per_s") Double samplesPerS,
        @JsonProperty("peak_memory_bytes") Long peakMemoryBytes,
        @JsonProperty("memory_source") String memorySource,
        @JsonProperty("peak_allocated_bytes") Long peakAllocatedBytes,
        @JsonProperty("peak_reserved_bytes") Long peakReservedBytes,
        @JsonProperty("host_ms") Double hostMs,
        @JsonProperty("p50_ms") Double p50Ms,
        @JsonProperty("p90_ms") Double p90Ms,
        @JsonProperty("p99_ms") Double p99Ms,
        @JsonProperty("iterations") int iterations,
        @JsonProperty("with_optimizer") boolean withOptimizer,
        @JsonProperty("oom") boolean oom,
        @JsonProperty("error") String error) {

    /** A point that ran out of memory. */
    static BenchPoint outOfMemory(PointSpec spec, String message) {
        return new BenchPoint(spec.model().label(), spec.kind(), spec.precision().label(), spec.batchSize(),
                1, spec.seqLength(), null, null, null, null, null, null, null, null, null, null, 0, spec.withOptimizer(), true, message);
    }

    /** The x value of charts: the sequence length for sequence sweeps, else the batch size. */
    double x(boolean bySequence) {
        return bySequence && seqLength != null ? seqLength : batchSize;
    }
}
