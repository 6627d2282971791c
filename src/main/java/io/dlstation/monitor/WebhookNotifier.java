package io.dlstation.monitor;

import io.dlstation.config.WebhookConfig;
import io.dlstation.time.Scheduler;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * POSTs each alert event as JSON ({@link AlertEvent}) to a URL, never blocking the sampler.
 *
 * <p>Design: {@link #send} offers the event to a bounded queue and returns at once; when the queue is
 * full the event is dropped, counted and reported. One daemon thread takes events in order and
 * delivers each with up to {@code max_attempts} tries: a 2xx answer is success; a connection error, a
 * timeout, 408, 429 or a 5xx is retried after a back-off that doubles from {@code firstBackoff} up to
 * {@link #MAX_BACKOFF}; any other answer fails at once. A back-off is a wake-up the thread schedules on
 * an injected {@link Scheduler} and waits for, so tests decide when it comes instead of
 * waiting. {@link #close} lets the thread finish what is queued for up to {@code drainTimeout}, then
 * interrupts it (which ends a back-off too).
 *
 * <p>Thread safety: {@link #send} from any thread; counters are atomic; the queue is the hand-off.
 */
public final class WebhookNotifier implements AlertNotifier {
    /** The longest wait between two tries. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private static final AlertEvent STOP = new AlertEvent(AlertEvent.Status.RESOLVED, "", null, "", null, null, null,
            null, null, null, 0, null, null, null, null, false);

    private final URI url;
    private final HttpClient client;
    private final boolean ownsClient;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration drainTimeout;
    private final Scheduler backoffs;
    private final Consumer<String> problems;
    private final BlockingQueue<AlertEvent> queue;
    private final Thread worker;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object progress = new Object();
    private volatile boolean closed;

    /** @param backoffs times the waits between tries ({@link Scheduler#system()}) */
    WebhookNotifier(WebhookConfig config, HttpClient client, boolean ownsClient, Duration firstBackoff,
            Duration drainTimeout, Scheduler backoffs, Consumer<String> problems) {
        this.url = config.uri();
        this.client = client;
        this.ownsClient = ownsClient;
        this.timeout = config.timeout();
        this.maxAttempts = config.maxAttempts();
        this.firstBackoff = firstBackoff;
        this.drainTimeout = drainTimeout;
        this.backoffs = backoffs;
        this.problems = problems;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.worker = Thread.ofPlatform().name("dlstation-webhook").daemon(true).unstarted(this::run);
        worker.start();
    }

    /**
     * A webhook notifier with its own HTTP client, a first back-off of one second, and up to ten
     * seconds to deliver what is still queued at close.
     */
    public static WebhookNotifier start(WebhookConfig config, Consumer<String> problems) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new WebhookNotifier(config, client, true, Duration.ofSeconds(1), Duration.ofSeconds(10),
                Scheduler.system(), problems);
    }

    @Override
    public void send(AlertEvent event) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        if (queue.offer(event)) {
            accepted.incrementAndGet();
        } else {
            dropped.incrementAndGet();
            problems.accept("dlstation monitor: webhook " + url + " is behind (queue of " + (queue.size() + queue.remainingCapacity())
                    + " full); dropped alert '" + event.rule() + "' " + event.subject());
        }
    }

    /** Events delivered (a 2xx answer). */
    public long delivered() {
        return delivered.get();
    }

    /** Events given up on after their tries. */
    public long failed() {
        return failed.get();
    }

    /** Events dropped because the queue was full or the notifier closed. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Waits until every accepted event is delivered or given up on, at most {@code timeout}; true when
     * nothing is left.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos(); // real time: it bounds Object.wait
        synchronized (progress) {
            while (delivered.get() + failed.get() < accepted.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private void run() {
        try {
            while (true) {
                AlertEvent event = queue.take();
                if (event == STOP) {
                    return;
                }
                boolean ok = deliver(event);
                synchronized (progress) {
                    (ok ? delivered : failed).incrementAndGet();
                    progress.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean deliver(AlertEvent event) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "dlstation-monitor")
                .POST(HttpRequest.BodyPublishers.ofString(SnapshotJson.line(event), StandardCharsets.UTF_8))
                .build();
        Duration backoff = firstBackoff;
        String problem = null;
        int attempt = 0;
        while (++attempt <= maxAttempts) {
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return true;
                }
                problem = "HTTP " + status;
                if (!(status == 408 || status == 429 || status / 100 == 5)) {
                    break;
                }
            } catch (IOException e) {
                problem = describe(e);
            }
            if (attempt < maxAttempts) {
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        problems.accept("dlstation monitor: webhook " + url + " did not take alert '" + event.rule() + "' " + event.subject()
                + " after " + Math.min(attempt, maxAttempts) + " tries: " + problem);
        return false;
    }

    /**
     * Waits {@code duration} on the worker thread: schedules its own wake-up and waits for it. An
     * interrupt (from {@link #close}) ends the wait and cancels the wake-up.
     */
    private void pause(Duration duration) throws InterruptedException {
        CountDownLatch woken = new CountDownLatch(1);
        Future<?> wakeUp = backoffs.schedule(woken::countDown, duration.toNanos());
        try {
            woken.await();
        } finally {
            wakeUp.cancel(false);
        }
    }

    /** An I/O failure in words: the JDK's client often gives no message. */
    private String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return "cannot connect" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        return e.getMessage() == null ? "I/O error" : e.getMessage();
    }

    @Override
    public String describe() {
        return "the webhook " + url;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!queue.offer(STOP)) {
                worker.interrupt();
            }
            worker.join(drainTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
        }
        long left = queue.stream().filter(e -> e != STOP).count();
        if (left > 0) {
            dropped.addAndGet(left);
            problems.accept("dlstation monitor: webhook " + url + ": " + left + " alert(s) not sent before exit");
        }
        if (ownsClient) {
            client.shutdownNow();
        }
    }
}
