package io.dlstation.serve;

import io.dlstation.engine.AllocatorCounters;
import io.dlstation.engine.GpuMemory;
import io.dlstation.serve.wlm.WorkloadListener;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The server's metrics: Prometheus families for {@code /metrics} and the running totals of
 * {@code /stats}. Every stage records here: the HTTP layer each answered request, the work-load
 * manager (through {@link #listener}) queue waits, expiries and batches. Recording never throws.
 *
 * <p>Families: {@code dlstation_serve_requests_total{model,status}},
 * {@code dlstation_serve_request_duration_seconds{model}}, {@code dlstation_serve_queue_duration_seconds{model}},
 * {@code dlstation_serve_compute_duration_seconds{model}}, {@code dlstation_serve_batch_size{model}},
 * {@code dlstation_serve_queue_depth{model}}, {@code dlstation_serve_in_flight_requests{model}},
 * {@code dlstation_serve_model_ready{model}}.
 */
public final class ServeMetrics {
    private static final double[] SECONDS = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30};
    private static final double[] SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final PrometheusRegistry registry;
    private final Counter requests;
    private final Histogram requestSeconds;
    private final Histogram queueSeconds;
    private final Histogram computeSeconds;
    private final Histogram batchSizes;
    private final Map<String, ModelStats> stats = new ConcurrentHashMap<>();

    /** @param models the loaded models, for the gauges read at each scrape */
    public ServeMetrics(PrometheusRegistry registry, Supplier<Map<String, ServedModel>> models) {
        this.registry = registry;
        requests = Counter.builder().name("dlstation_serve_requests").help("Inference requests answered, by status.")
                .labelNames("model", "status").register(registry);
        requestSeconds = histogram("dlstation_serve_request_duration_seconds",
                "Time from receiving a request to its answer.", SECONDS);
        queueSeconds = histogram("dlstation_serve_queue_duration_seconds",
                "Time a request waited in its model's queue.", SECONDS);
        computeSeconds = perDevice("dlstation_serve_compute_duration_seconds",
                "Time one batch took on the device, input copy to output split, by model and device.", SECONDS);
        batchSizes = perDevice("dlstation_serve_batch_size", "Samples per batch run, by model and device.", SIZES);
        GaugeWithCallback.builder().name("dlstation_serve_queue_depth").help("Requests waiting in the queue.")
                .labelNames("model").callback(cb -> models.get().forEach((name, m) -> cb.call(m.queueDepth(), name)))
                .register(registry);
        GaugeWithCallback.builder().name("dlstation_serve_in_flight_requests").help("Requests in batches being run.")
                .labelNames("model").callback(cb -> models.get().forEach((name, m) -> cb.call(m.inFlight(), name)))
                .register(registry);
        GaugeWithCallback.builder().name("dlstation_serve_model_ready").help("1 while the model takes requests.")
                .labelNames("model").callback(cb -> models.get().forEach((name, m) -> cb.call(m.ready() ? 1 : 0, name)))
                .register(registry);
        allocatorGauge("dlstation_gpu_allocator_allocated_bytes",
                "Memory held by tensors on the GPU, from PyTorch's caching allocator (torch.cuda.memory_allocated).",
                models, AllocatorCounters::allocatedBytes);
        allocatorGauge("dlstation_gpu_allocator_reserved_bytes",
                "Memory the caching allocator holds from the driver (torch.cuda.memory_reserved).", models,
                AllocatorCounters::reservedBytes);
        allocatorGauge("dlstation_gpu_allocator_peak_allocated_bytes",
                "Highest memory held by tensors since the server started (torch.cuda.max_memory_allocated).", models,
                AllocatorCounters::peakAllocatedBytes);
    }

    /** A gauge per GPU the models run on, read from the caching allocator at each scrape. */
    private void allocatorGauge(String name, String help, Supplier<Map<String, ServedModel>> models,
            ToLongFunction<AllocatorCounters> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("device")
                .callback(cb -> models.get().values().stream().flatMap(m -> m.placement().stream()).distinct()
                        .forEach(device -> GpuMemory.counters(device)
                                .ifPresent(c -> cb.call(value.applyAsLong(c), "gpu:" + device.getDeviceId()))))
                .register(registry);
    }

    private Histogram histogram(String name, String help, double[] bounds) {
        return Histogram.builder().name(name).help(help).labelNames("model").classicOnly().classicUpperBounds(bounds)
                .register(registry);
    }

    private Histogram perDevice(String name, String help, double[] bounds) {
        return Histogram.builder().name(name).help(help).labelNames("model", "device").classicOnly()
                .classicUpperBounds(bounds).register(registry);
    }

    /** The registry the families live in (other collectors, e.g. GPU gauges, may join it). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Records an answered inference request; {@code model} is empty when the request named no known model. */
    public void requestDone(String model, int status, long nanos) {
        try {
            requests.labelValues(model, Integer.toString(status)).inc();
            if (!model.isEmpty()) {
                requestSeconds.labelValues(model).observe(nanos / 1e9);
                stats(model).answered(status, nanos);
            }
        } catch (RuntimeException ignored) {
            // telemetry never fails a request
        }
    }

    /** The work-load listener of {@code model}. */
    public WorkloadListener listener(String model) {
        DistributionDataPoint queue = queueSeconds.labelValues(model);
        ModelStats modelStats = stats(model);
        return new WorkloadListener() {
            @Override
            public void dequeued(long queuedNanos) {
                queue.observe(queuedNanos / 1e9);
            }

            @Override
            public void batchRan(String device, int requestCount, int samples, long computeNanos,
                    boolean succeeded) {
                computeSeconds.labelValues(model, device).observe(computeNanos / 1e9);
                batchSizes.labelValues(model, device).observe(samples);
                modelStats.batch(samples);
            }
        };
    }

    /** The exposition in Prometheus text format. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The content type of {@link #scrape}. */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** The totals of {@code GET /stats}, per model and over all. */
    public Map<String, Object> stats(Map<String, ServedModel> models) {
        Map<String, Object> perModel = new TreeMap<>();
        long requestsAll = 0;
        long nanosAll = 0;
        for (Map.Entry<String, ModelStats> e : new TreeMap<>(stats).entrySet()) {
            ServedModel m = models.get(e.getKey());
            perModel.put(e.getKey(), e.getValue().snapshot(m));
            requestsAll += e.getValue().requests.sum();
            nanosAll += e.getValue().nanos.sum();
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("requests", requestsAll);
        all.put("avg_latency_ms", requestsAll == 0 ? 0.0 : round(nanosAll / 1e6 / requestsAll));
        all.put("models", perModel);
        return all;
    }

    private ModelStats stats(String model) {
        return stats.computeIfAbsent(model, m -> new ModelStats());
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** Running totals of one model. */
    private static final class ModelStats {
        final LongAdder requests = new LongAdder();
        final LongAdder succeeded = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAdder batches = new LongAdder();
        final LongAdder samples = new LongAdder();

        void answered(int status, long took) {
            requests.increment();
            nanos.add(took);
            if (status < 300) {
                succeeded.increment();
            } else if (status == 429 || status == 503) {
                rejected.increment();
            } else if (status == 504) {
                timedOut.increment();
            } else {
                failed.increment();
            }
        }

        void batch(int size) {
            batches.increment();
            samples.add(size);
        }

        Map<String, Object> snapshot(ServedModel model) {
            Map<String, Object> s = new LinkedHashMap<>();
            long n = requests.sum();
            long b = batches.sum();
            s.put("requests", n);
            s.put("succeeded", succeeded.sum());
            s.put("rejected", rejected.sum());
            s.put("timed_out", timedOut.sum());
            s.put("failed", failed.sum());
            s.put("avg_latency_ms", n == 0 ? 0.0 : round(nanos.sum() / 1e6 / n));
            s.put("batches", b);
            s.put("avg_batch_size", b == 0 ? 0.0 : round((double) samples.sum() / b));
            s.put("queue_depth", model == null ? 0 : model.queueDepth());
            s.put("in_flight", model == null ? 0 : model.inFlight());
            return s;
        }
    }
}
