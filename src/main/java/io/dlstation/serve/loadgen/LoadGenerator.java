package io.dlstation.serve.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.error.InternalNames;
import io.dlstation.time.Ticker;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends inference requests to a running server and measures what comes back.
 *
 * <p>Closed loop (no rate): at each concurrency level that many virtual threads each send a request,
 * wait for its answer and send the next; latency is send to answer. Open loop ({@code rate}): requests
 * are due at fixed intervals whatever the answers do, at most {@code concurrency} in flight, and a
 * request's latency runs from when it was due, so a server that falls behind shows its queueing in
 * the percentiles instead of slowing the load (no coordinated omission). Each level runs a warm-up
 * first that is not measured. Each sender keeps its connection open and writes a request built once
 * for the run ({@link Senders}), so the client's own cost stays far below the server's. Every time
 * (when a request is due, sent and answered, when a level ends) is a reading of one injected {@link Ticker}.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Closed loops up to this many senders use platform threads: a virtual thread waiting for its answer
     * is woken through the JDK's poller and then a carrier thread, two hand-offs that showed in the
     * latency of a loopback server (about 0.1 ms on a small VM).
     */
    static final int PLATFORM_SENDERS = 512;

    private final LoadSettings settings;
    private final PrintWriter progress;
    private final Clock clock;
    private final Ticker ticker;
    private final List<HttpClient> clients = new ArrayList<>();
    private final MetricsEndpoint metrics;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** @param progress where a line per level goes as it finishes (may be null) */
    public LoadGenerator(LoadSettings settings, PrintWriter progress, Clock clock) {
        this(settings, progress, clock, Ticker.system());
    }

    /**
     * @param progress where a line per level goes as it finishes (may be null)
     * @param clock the report's start time
     * @param ticker times the requests and paces the levels
     */
    public LoadGenerator(LoadSettings settings, PrintWriter progress, Clock clock, Ticker ticker) {
        this.settings = settings;
        this.progress = progress;
        this.clock = clock;
        this.ticker = ticker;
        int max = settings.concurrencies().stream().mapToInt(Integer::intValue).max().orElse(1);
        int count = Math.max(1, Math.min(Math.min(8, Runtime.getRuntime().availableProcessors()), max / 16 + 1));
        for (int i = 0; i < count; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads)
                    .connectTimeout(settings.timeout()).build());
        }
        this.metrics = new MetricsEndpoint(clients.get(0), settings.url(), Duration.ofSeconds(10));
    }

    /** Runs every level and returns the report. */
    public LoadReport run() {
        String started = Instant.now(clock).toString();
        Payload payload = Payload.of(metadata(), settings.batch(), settings.binary(), 42);
        List<LoadPoint> points = new ArrayList<>();
        ServerMetricsSampler sampler = settings.sampleInterval() == null ? null : new ServerMetricsSampler(clients.get(0),
                settings.url(), settings.model(), settings.sampleInterval(), progress);
        if (sampler != null) {
            sampler.start(ticker, ticker.read());
        }
        ServerMetricsReport serverMetrics = null;
        try {
            for (int concurrency : settings.concurrencies()) {
                LoadPoint point = level(concurrency, payload);
                points.add(point);
                if (progress != null) {
                    progress.printf(Locale.ROOT, "concurrency %d: %.1f req/s, p50 %.2f ms, p99 %.2f ms%s%n", concurrency,
                            point.requestsPerSecond(), point.latencyMs().p50(), point.latencyMs().p99(),
                            point.ok() == point.requests() ? "" : ", " + (point.requests() - point.ok()) + " not 200");
                    String unsteady = point.steadiness().warning(concurrency);
                    if (unsteady != null) {
                        progress.println("warning: " + unsteady);
                    }
                    progress.flush();
                }
            }
            if (sampler != null) {
                List<ServerSample> samples = sampler.stop();
                long clientErrors = points.stream().mapToLong(p -> p.requests() - p.ok()).sum();
                serverMetrics = new ServerMetricsReport(settings.sampleInterval().toMillis() / 1000.0,
                        sampler.failures(), SoakVerdict.of(samples, settings.warmup().toNanos() / 1e9, clientErrors),
                        samples);
                sampler = null;
            }
        } finally {
            if (sampler != null) {
                sampler.stop();
            }
            clients.forEach(HttpClient::close); // its pooled connections too: a draining server waits for them
            threads.shutdownNow();
        }
        return new LoadReport(1, "serve", settings.url(), settings.model(), settings.mode(), settings.rate(),
                settings.batch(), settings.binary(), settings.duration().toNanos() / 1e9,
                settings.warmup().toNanos() / 1e9, started, points, serverMetrics);
    }

    /** The model's metadata; a server that does not answer is named with what to check. */
    JsonNode metadata() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url() + "/v2/models/" + settings.model()))
                .timeout(settings.timeout()).GET().build();
        try {
            HttpResponse<byte[]> r = clients.get(0).send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new DlstationException(r.statusCode() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.UNAVAILABLE,
                        "the server at " + settings.url() + " answered " + r.statusCode() + " for model '"
                                + settings.model() + "': " + (body.has("error") ? body.get("error").asText() : body));
            }
            return body;
        } catch (IOException e) {
            throw new DlstationException(ErrorCode.UNAVAILABLE, "cannot reach " + settings.url() + " ("
                    + InternalNames.firstLineOr(e.getMessage(), "no connection, or an answer that is not JSON")
                    + "); is 'dlstation serve' running there?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DlstationException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    private LoadPoint level(int concurrency, Payload payload) {
        Histogram latency = new ConcurrentHistogram(3);
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        long begin = ticker.read();
        long measureFrom = begin + settings.warmup().toNanos();
        long end = measureFrom + settings.duration().toNanos();
        Measured measured = new Measured(measureFrom, measureFrom + settings.duration().toNanos() / 2, latency, statuses);
        Senders senders = new Senders(settings.url(), settings.model(), payload, settings.timeout(), clients);
        CompletableFuture<ServerTimes> server = serverTimes(measureFrom, end);
        if (settings.rate() == null) {
            closedLoop(concurrency, senders, end, measured);
        } else {
            openLoop(concurrency, senders, begin, end, measured);
        }
        double seconds = settings.duration().toNanos() / 1e9;
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.sum()));
        long requests = counts.values().stream().mapToLong(Long::longValue).sum();
        long ok = counts.getOrDefault("200", 0L);
        return new LoadPoint(concurrency, requests, ok, counts, seconds, round(ok / seconds),
                round(ok * settings.batch() / seconds), latency(latency),
                Steadiness.of(measured.okByHalf[0].sum(), measured.okByHalf[1].sum(), seconds), server.join());
    }

    /**
     * What the server's own metrics say of the measured time, read at its start and its end on a thread of
     * its own; completes with null when they cannot be read or hold none of the model's timings.
     */
    private CompletableFuture<ServerTimes> serverTimes(long from, long to) {
        CompletableFuture<ServerTimes> times = new CompletableFuture<>();
        Thread.ofVirtual().name("dlstation-bench-server-times").start(() -> {
            try {
                parkUntil(from);
                PrometheusText before = metrics.read();
                parkUntil(to);
                times.complete(ServerTimes.between(before, metrics.read(), settings.model()));
            } catch (IOException | RuntimeException e) {
                times.complete(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                times.complete(null);
            }
        });
        return times;
    }

    /** Parks until the ticker reads {@code due}. */
    private void parkUntil(long due) {
        for (long wait = due - ticker.read(); wait > 0; wait = due - ticker.read()) {
            LockSupport.parkNanos(wait);
        }
    }

    private void closedLoop(int concurrency, Senders senders, long end, Measured measured) {
        List<Thread> threads = new ArrayList<>();
        Thread.Builder builder = concurrency <= PLATFORM_SENDERS ? Thread.ofPlatform().daemon(true) : Thread.ofVirtual();
        for (int i = 0; i < concurrency; i++) {
            int index = i;
            threads.add(builder.name("dlstation-bench-sender-" + i).start(() -> {
                try (Senders.Sender sender = senders.open(index)) {
                    while (true) {
                        long sent = ticker.read();
                        if (sent - end >= 0) {
                            return;
                        }
                        String status = sender.send();
                        measured.record(sent, status, ticker.read() - sent);
                    }
                }
            }));
        }
        joinAll(threads);
    }

    private void openLoop(int concurrency, Senders senders, long begin, long end, Measured measured) {
        double interval = 1e9 / settings.rate();
        Semaphore slots = new Semaphore(concurrency);
        Queue<Senders.Sender> idle = new ConcurrentLinkedQueue<>();
        List<Thread> inFlight = new ArrayList<>();
        for (long i = 0; ; i++) {
            long due = begin + Math.round(i * interval);
            if (due - end >= 0) {
                break;
            }
            parkUntil(due);
            slots.acquireUninterruptibly();
            int index = (int) (i % Integer.MAX_VALUE);
            inFlight.add(Thread.ofVirtual().start(() -> {
                Senders.Sender sender = idle.poll();
                try {
                    if (sender == null) {
                        sender = senders.open(index);
                    }
                    String status = sender.send();
                    measured.record(due, status, ticker.read() - due);
                } finally {
                    if (sender != null) {
                        idle.add(sender);
                    }
                    slots.release();
                }
            }));
            if (inFlight.size() > 4 * concurrency) {
                inFlight.removeIf(t -> !t.isAlive());
            }
        }
        joinAll(inFlight);
        idle.forEach(Senders.Sender::close);
    }

    /** What a level records of the requests sent (or due) from {@code from} on, by half of the measured time. */
    private record Measured(long from, long middle, Histogram latency, Map<String, LongAdder> statuses,
            LongAdder[] okByHalf) {
        Measured(long from, long middle, Histogram latency, Map<String, LongAdder> statuses) {
            this(from, middle, latency, statuses, new LongAdder[] {new LongAdder(), new LongAdder()});
        }

        /** A request sent (or due) at {@code sentAt}, answered with {@code status} after {@code nanos}. */
        void record(long sentAt, String status, long nanos) {
            if (sentAt - from < 0) {
                return; // the warm-up
            }
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            if (status.equals("200")) {
                latency.recordValue(Math.max(1, nanos / 1000));
                okByHalf[sentAt - middle < 0 ? 0 : 1].increment();
            }
        }
    }

    private static LoadPoint.Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LoadPoint.Latency(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LoadPoint.Latency(round(h.getMean() / 1000), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
                round(h.getMaxValue() / 1000.0));
    }

    private static double ms(Histogram h, double percentile) {
        return round(h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void joinAll(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
