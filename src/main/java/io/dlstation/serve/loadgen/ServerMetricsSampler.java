package io.dlstation.serve.loadgen;

import io.dlstation.time.Ticker;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes the server's {@code /metrics} at a fixed interval while a run lasts and keeps what each scrape
 * said of its memory and errors ({@link ServerSample}), printing a line per sample. Memory stays bounded
 * however long the run: past {@value #MAX_SAMPLES} samples every other one is dropped and the interval
 * doubles. A scrape that fails is counted, not fatal.
 *
 * <p>Thread safety: scrapes run on one daemon thread; the samples are read after {@link #stop}.
 */
final class ServerMetricsSampler {
    static final int MAX_SAMPLES = 10_000;

    private final MetricsEndpoint metrics;
    private final String model;
    private final Duration interval;
    private final PrintWriter progress;
    private final ScheduledExecutorService timer;
    /** @GuardedBy("this") */
    private final List<ServerSample> samples = new ArrayList<>();
    /** @GuardedBy("this"): keep one scrape in {@code stride}. */
    private long stride = 1;
    /** @GuardedBy("this") */
    private long scrapes;
    /** @GuardedBy("this") */
    private int failures;
    /** Set by {@link #start}, before the first scrape. */
    private Ticker ticker;
    private long startNanos;

    /** @param progress where a line per sample goes (may be null) */
    ServerMetricsSampler(HttpClient client, String url, String model, Duration interval, PrintWriter progress) {
        this.metrics = new MetricsEndpoint(client, url, Duration.ofSeconds(Math.max(1, Math.min(30, interval.toSeconds()))));
        this.model = model;
        this.interval = interval;
        this.progress = progress;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("dlstation-bench-metrics").daemon(true).factory());
    }

    /** Scrapes now, then every interval, with times counted from {@code startNanos}, a reading of {@code ticker}. */
    void start(Ticker ticker, long startNanos) {
        this.ticker = ticker;
        this.startNanos = startNanos;
        long every = Math.max(1, interval.toNanos());
        timer.scheduleAtFixedRate(this::scrape, 0, every, TimeUnit.NANOSECONDS);
    }

    /** Stops sampling after one last scrape; returns the samples in time order. */
    List<ServerSample> stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            stride = 1; // the last scrape is always kept: it is the end of the run
            scrape();
            return List.copyOf(samples);
        }
    }

    /** Scrapes that failed (no answer, not 200). */
    synchronized int failures() {
        return failures;
    }

    private synchronized void scrape() {
        if (!due()) {
            return;
        }
        double t = (ticker.read() - startNanos) / 1e9;
        ServerSample sample;
        try {
            sample = ServerSample.of(t, metrics.read(), model);
        } catch (IOException | RuntimeException e) {
            failed(t, e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        add(sample);
        if (progress != null) {
            progress.println(line(sample));
            progress.flush();
        }
    }

    private void failed(double t, String why) {
        failures++;
        if (progress != null && failures == 1) {
            progress.printf(Locale.ROOT, "server metrics at %.0f s: %s could not be read (%s); sampling goes on%n", t,
                    metrics, why);
            progress.flush();
        }
    }

    /** Whether this scrape is one to keep (one in {@code stride}). */
    synchronized boolean due() {
        return scrapes++ % stride == 0;
    }

    /** Keeps {@code sample}; past {@link #MAX_SAMPLES}, only every other sample and from now on every other scrape. */
    synchronized void add(ServerSample sample) {
        samples.add(sample);
        if (samples.size() >= MAX_SAMPLES) {
            thin();
        }
    }

    /** The samples kept so far. */
    synchronized List<ServerSample> samples() {
        return List.copyOf(samples);
    }

    private void thin() {
        List<ServerSample> kept = new ArrayList<>(samples.size() / 2 + 1);
        for (int i = 0; i < samples.size(); i += 2) {
            kept.add(samples.get(i));
        }
        samples.clear();
        samples.addAll(kept);
        stride *= 2;
    }

    static String line(ServerSample s) {
        return String.format(Locale.ROOT, "server at %.0f s: heap %s, RSS %s, GPU %s, %s requests, %s failed", s.tS(),
                mib(s.heapUsedBytes()), mib(s.rssBytes()), mib(s.gpuUsedBytes()), count(s.requests()),
                count(s.failedRequests()));
    }

    private static String mib(Double bytes) {
        return bytes == null ? "-" : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String count(Long n) {
        return n == null ? "-" : Long.toString(n);
    }
}
