package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dlstation.config.AlertRuleConfig;
import io.dlstation.config.WebhookConfig;
import io.dlstation.testing.Await;
import io.dlstation.time.ManualClock;
import io.dlstation.time.Scheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook against a local HTTP server: retries with back-off, no blocking, JSON body. */
class WebhookNotifierTest {
    private static HttpServer server;
    private static final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    private static final List<String> contentTypes = new CopyOnWriteArrayList<>();
    /** Status codes the endpoint answers with, in order; 200 once they run out. */
    private static final BlockingQueue<Integer> answers = new LinkedBlockingQueue<>();
    private static final AtomicInteger requests = new AtomicInteger();

    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    /** Back-offs that end at once, each recorded in {@link #waits}. */
    private final Scheduler noWaiting = (task, delayNanos) -> {
        waits.add(Duration.ofNanos(delayNanos));
        task.run();
        return CompletableFuture.completedFuture(null);
    };
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            requests.incrementAndGet();
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void reset() {
        bodies.clear();
        contentTypes.clear();
        answers.clear();
        requests.set(0);
    }

    private WebhookConfig config(int maxAttempts, int capacity) {
        return new WebhookConfig("http://127.0.0.1:" + server.getAddress().getPort() + "/hook", Duration.ofSeconds(5),
                maxAttempts, capacity);
    }

    private WebhookNotifier notifier(WebhookConfig config, Scheduler backoffs) {
        return new WebhookNotifier(config, client, false, Duration.ofSeconds(1), Duration.ofSeconds(5), backoffs,
                problems::add);
    }

    private static AlertEvent event(String subject) {
        Instant t = Instant.parse("2025-06-01T10:01:00Z");
        return AlertEvent.of(AlertEvent.Status.FIRING, AlertRuleConfig.defaults().get(0), subject, "box01", 0,
                "GPU-abc", "NVIDIA H100 80GB HBM3", 91.0, t.minusSeconds(60), t, false);
    }

    @Test
    void aFailingThenSucceedingEndpointGetsTheEventAfterBackingOff() throws Exception {
        answers.addAll(List.of(500, 503));
        try (WebhookNotifier hook = notifier(config(5, 8), noWaiting)) {
            hook.send(event("gpu0"));
            assertThat(hook.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(hook.delivered()).isEqualTo(1);
            assertThat(hook.failed()).isZero();
        }
        assertThat(requests.get()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(problems).isEmpty();
        assertThat(contentTypes).containsOnly("application/json");
        JsonNode body = new ObjectMapper().readTree(Await.next(bodies, Duration.ofSeconds(30), "the body posted"));
        assertThat(body.get("schema").asInt()).isEqualTo(1);
        assertThat(body.get("status").asText()).isEqualTo("firing");
        assertThat(body.get("rule").asText()).isEqualTo("gpu_temperature_high");
        assertThat(body.get("severity").asText()).isEqualTo("critical");
        assertThat(body.get("subject").asText()).isEqualTo("gpu0");
        assertThat(body.get("hostname").asText()).isEqualTo("box01");
        assertThat(body.get("gpuUuid").asText()).isEqualTo("GPU-abc");
        assertThat(body.get("metric").asText()).isEqualTo("gpu_temperature_celsius");
        assertThat(body.get("op").asText()).isEqualTo(">");
        assertThat(body.get("threshold").asDouble()).isEqualTo(85.0);
        assertThat(body.get("value").asDouble()).isEqualTo(91.0);
        assertThat(body.get("for").asText()).isEqualTo("1m");
        assertThat(body.get("since").asText()).isEqualTo("2025-06-01T10:00:00Z");
        assertThat(body.get("time").asText()).isEqualTo("2025-06-01T10:01:00Z");
        assertThat(body.get("test").asBoolean()).isFalse();
        assertThat(body.get("summary").asText()).startsWith("FIRING critical gpu_temperature_high on box01 gpu0");
    }

    @Test
    void anEndpointThatKeepsFailingIsGivenUpOnAndReported() throws Exception {
        answers.addAll(List.of(500, 500, 500));
        try (WebhookNotifier hook = notifier(config(3, 8), noWaiting)) {
            hook.send(event("gpu0"));
            assertThat(hook.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(hook.failed()).isEqualTo(1);
        }
        assertThat(requests.get()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(problems).singleElement().asString().contains("did not take alert 'gpu_temperature_high' gpu0")
                .contains("after 3 tries: HTTP 500");
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        answers.add(400);
        try (WebhookNotifier hook = notifier(config(5, 8), noWaiting)) {
            hook.send(event("gpu0"));
            assertThat(hook.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(hook.failed()).isEqualTo(1);
        }
        assertThat(requests.get()).isEqualTo(1);
        assertThat(waits).isEmpty();
        assertThat(problems).singleElement().asString().contains("HTTP 400");
    }

    @Test
    void anUnreachableEndpointIsRetriedThenGivenUp() throws Exception {
        WebhookConfig nowhere;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nowhere = new WebhookConfig("http://127.0.0.1:" + socket.getLocalPort() + "/hook", Duration.ofSeconds(2), 2, 4);
        }
        try (WebhookNotifier hook = notifier(nowhere, noWaiting)) {
            hook.send(event("gpu0"));
            assertThat(hook.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(hook.failed()).isEqualTo(1);
        }
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
        assertThat(problems).singleElement().asString().contains("after 2 tries: cannot connect");
    }

    @Test
    void sendNeverBlocksAFullQueueDropsAndCounts() throws Exception {
        ManualClock time = new ManualClock();
        answers.add(500);
        try (WebhookNotifier hook = notifier(config(2, 2), time)) {
            hook.send(event("gpu0")); // taken by the worker, which then waits in its back-off
            Await.until(() -> time.pendingTimers() == 1, Duration.ofSeconds(30), "the worker's back-off");
            long start = System.nanoTime();
            for (int i = 1; i <= 5; i++) {
                hook.send(event("gpu" + i));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(hook.dropped()).isEqualTo(3);
            assertThat(problems).hasSize(3).allSatisfy(p -> assertThat(p).contains("queue of 2 full"));
            time.advance(Duration.ofSeconds(1));
            assertThat(hook.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(hook.delivered()).isEqualTo(3);
        }
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void closeDeliversWhatIsQueuedFirst() throws Exception {
        WebhookNotifier hook = notifier(config(3, 16), noWaiting);
        for (int i = 0; i < 5; i++) {
            hook.send(event("gpu" + i));
        }
        hook.close();
        assertThat(hook.delivered()).isEqualTo(5);
        assertThat(requests.get()).isEqualTo(5);
        hook.send(event("late"));
        assertThat(hook.dropped()).isEqualTo(1);
    }
}
