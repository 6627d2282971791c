package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.ServeFixtures;
import io.dlstation.testing.Await;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that drains (what SIGTERM runs) while keep-alive clients post to it in a loop answers every
 * request it received, 200 or 503, and cuts no connection under a request: each client is told
 * {@code Connection: close}, and its next connection is refused.
 */
class KeepAliveDrainTest {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path repository;

    @ParameterizedTest(name = "{0} keep-alive clients")
    @ValueSource(ints = {16, 128})
    void everyRequestSentToADrainingServerIsAnswered(int clients) throws Exception {
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, "tiny", "max_batch_size: 8\nmax_batch_delay_ms: 2\nwarmup_batches: 0\n");
        ModelServer server = ModelServer.start(new HttpSettings("127.0.0.1", 0, 1 << 20, 429, 1, null, DRAIN_TIMEOUT),
                new ModelRepository(repository, Map.of()), List.of(Device.cpu()), new PrometheusRegistry());
        byte[] body = ServeHttpTest.ones("tiny", 1, "").getBytes(StandardCharsets.UTF_8);
        AtomicLong drainBegan = new AtomicLong();
        CountDownLatch everyClientWarm = new CountDownLatch(clients);
        List<KeepAliveClient> loops = new ArrayList<>();
        List<Future<KeepAliveClient.Tally>> running = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        List<KeepAliveClient.Tally> tallies = new ArrayList<>();
        Duration drain;
        int cut;
        try {
            Await.result(server.startup(), Duration.ofMinutes(5), "the models to load");
            for (int i = 0; i < clients; i++) {
                KeepAliveClient client = new KeepAliveClient(server.port(), "/v2/models/tiny/infer", body,
                        () -> when(drainBegan.get()), 3, everyClientWarm::countDown);
                loops.add(client);
                running.add(threads.submit(client));
            }
            assertThat(everyClientWarm.await(120, TimeUnit.SECONDS)).as("3 answers to every client within 120 s").isTrue();

            drainBegan.set(System.nanoTime());
            cut = server.drain(); // what the SIGTERM hook runs
            drain = Duration.ofNanos(System.nanoTime() - drainBegan.get());

            for (Future<KeepAliveClient.Tally> client : running) {
                tallies.add(client.get(60, TimeUnit.SECONDS)); // each ends once the server stopped listening
            }
        } finally {
            loops.forEach(KeepAliveClient::stop);
            threads.shutdownNow();
            server.close();
        }

        List<String> failures = tallies.stream().flatMap(t -> t.failures.stream()).toList();
        int sent = tallies.stream().mapToInt(t -> t.sent).sum();
        int ok = tallies.stream().mapToInt(t -> t.ok).sum();
        int unavailable = tallies.stream().mapToInt(t -> t.unavailable).sum();
        String summary = String.format(Locale.ROOT, "%d clients: %d requests sent, %d answered 200, %d answered 503, "
                + "%d went wrong; the drain took %d ms", clients, sent, ok, unavailable, failures.size(),
                drain.toMillis());
        System.out.println(summary);
        assertThat(failures).as(summary).isEmpty();
        assertThat(ok + unavailable).as(summary).isEqualTo(sent);
        assertThat(ok).as(summary).isPositive();
        assertThat(tallies).as("every client was told Connection: close, then refused a new connection")
                .allSatisfy(t -> {
                    assertThat(t.toldToClose).isPositive();
                    assertThat(t.refused).isTrue();
                });
        assertThat(cut).as("connections the drain timeout closed: every client closed its own").isZero();
        assertThat(drain).as("the drain ends within its timeout").isLessThan(DRAIN_TIMEOUT);
    }

    private static String when(long drainBegan) {
        return drainBegan == 0 ? "before the drain" : String.format(Locale.ROOT, "%+d ms after the drain began",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainBegan));
    }
}
