package io.dlstation.monitor;

import io.dlstation.gpu.GpuInventory;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.host.HostTelemetry;
import io.dlstation.time.Ticker;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * {@code dlstation monitor --bench-sampling N}: what one sample costs. Reads the GPUs (every NVML call
 * of a sample) and the host N times back to back, after a few warm-up reads, and reports the mean and
 * p99 time of the GPU read, the time per GPU, the host read, and the process CPU time per sample (all
 * threads: JIT and GC included), from which the CPU share at a 1 s interval follows.
 */
public final class SamplingBench {
    private static final int WARMUP = 5;

    private final GpuTelemetry gpus;
    private final HostTelemetry host;
    private final Ticker ticker;
    private final LongSupplier processCpuNanos;

    /**
     * @param ticker times each read ({@link Ticker#system()})
     * @param processCpuNanos CPU time of the whole process, or -1 when unknown
     */
    public SamplingBench(GpuTelemetry gpus, HostTelemetry host, Ticker ticker, LongSupplier processCpuNanos) {
        this.gpus = gpus;
        this.host = host;
        this.ticker = ticker;
        this.processCpuNanos = processCpuNanos;
    }

    /**
     * The result of N samples.
     *
     * @param gpuCount GPUs read per sample
     * @param gpuProblem why no GPU was read, null when NVML answered
     * @param cpuMillisPerSample process CPU time per sample; null when the JVM does not report it
     * @param cpuPercentAt1s that CPU time as a share of one core at a 1 s interval
     */
    public record Result(int samples, int gpuCount, String gpuProblem, double gpuMeanMillis, double gpuP99Millis,
            double perGpuMeanMillis, double hostMeanMillis, double hostP99Millis, Double cpuMillisPerSample,
            Double cpuPercentAt1s) {}

    /** Samples {@code n} times. */
    public Result run(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n < 1: " + n);
        }
        GpuInventory inventory = null;
        for (int i = 0; i < WARMUP; i++) {
            inventory = gpus.read();
            host.read();
        }
        long[] gpuNanos = new long[n];
        long[] hostNanos = new long[n];
        long cpuStart = processCpuNanos.getAsLong();
        for (int i = 0; i < n; i++) {
            long t0 = ticker.read();
            inventory = gpus.read();
            long t1 = ticker.read();
            host.read();
            long t2 = ticker.read();
            gpuNanos[i] = t1 - t0;
            hostNanos[i] = t2 - t1;
        }
        long cpuEnd = processCpuNanos.getAsLong();
        int count = inventory.devices().size();
        double gpuMean = mean(gpuNanos);
        Double cpuPerSample = cpuStart < 0 || cpuEnd < 0 ? null : (cpuEnd - cpuStart) / 1e6 / n;
        return new Result(n, count, inventory.reason(), gpuMean, p99(gpuNanos), count == 0 ? 0 : gpuMean / count,
                mean(hostNanos), p99(hostNanos), cpuPerSample, cpuPerSample == null ? null : cpuPerSample / 1000 * 100);
    }

    private static double mean(long[] nanos) {
        return Arrays.stream(nanos).average().orElse(0) / 1e6;
    }

    /** The nearest-rank 99th percentile, in milliseconds. */
    static double p99(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(0.99 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
