package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dlstation.serve.ServeFixtures;
import io.dlstation.serve.ServedModel;
import io.dlstation.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deadlines, back-pressure and the repository API over HTTP. The model "waiting" holds a part batch for
 * a minute (its max_batch_delay_ms), so requests stay queued until something else happens to them.
 */
class ServeLifecycleTest {
    private static final String TOKEN = "s3cret";
    private static final String AUTH = "Bearer " + TOKEN;

    @TempDir
    static Path repository;

    private static ModelServer server;
    private static HttpCalls http;

    @BeforeAll
    static void start() {
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, "waiting",
                "max_batch_size: 8\nmax_batch_delay_ms: 60000\nqueue_size: 2\nwarmup_batches: 0\n");
        ServeFixtures.tinyCnn(repository, "expiring",
                "max_batch_size: 8\nmax_batch_delay_ms: 60000\ntimeout_ms: 100\nwarmup_batches: 0\n");
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 1 << 20, 429, 3, TOKEN, Duration.ofSeconds(30));
        server = CpuServers.started(settings, repository);
        http = new HttpCalls(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String ones(int samples, String extra) {
        return ServeHttpTest.ones("m", samples, extra);
    }

    private static long batches(String model) {
        Matcher m = Pattern.compile("dlstation_serve_batch_size_count\\{device=\"[^\"]+\",model=\"" + model + "\"} (\\S+)")
                .matcher(http.get("/metrics").text());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    private static void awaitQueued(String model, int depth) {
        ServedModel m = server.registry().readyModels().get(model);
        Await.until(() -> m.queueDepth() >= depth, Duration.ofSeconds(60), depth + " requests queued for " + model);
    }

    @Test
    void aRequestWhoseDeadlinePassesInTheQueueIsAnswered504AndNeverRuns() {
        long before = batches("expiring");
        HttpCalls.Answer late = http.post("/v2/models/expiring/infer", ones(1, ""));
        assertThat(late.status()).as(late.text()).isEqualTo(504);
        assertThat(late.json().get("error").asText()).contains("waited 100 ms", "not run");
        HttpCalls.Answer ownTimeout = http.post("/v2/models/expiring/infer", ones(1, ", \"parameters\": {\"timeout\": 20000}"));
        assertThat(ownTimeout.status()).isEqualTo(504);
        assertThat(ownTimeout.json().get("error").asText()).contains("waited 20 ms");
        assertThat(batches("expiring")).isEqualTo(before);
        assertThat(http.post("/v2/models/expiring/infer", ones(8, "")).status()).isEqualTo(200); // a full batch runs
        assertThat(http.get("/stats").json().at("/models/expiring/timed_out").asLong()).isEqualTo(2);
    }

    @Test
    void aFullQueueRefusesWith429AndRetryAfterThenUnloadRunsWhatIsQueued() throws Exception {
        CompletableFuture<HttpCalls.Answer> first = CompletableFuture.supplyAsync(
                () -> http.post("/v2/models/waiting/infer", ones(1, "")));
        CompletableFuture<HttpCalls.Answer> second = CompletableFuture.supplyAsync(
                () -> http.post("/v2/models/waiting/infer", ones(2, "")));
        awaitQueued("waiting", 2);

        HttpCalls.Answer refused = http.post("/v2/models/waiting/infer", ones(1, ""));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("3");
        assertThat(refused.json().get("error").asText()).contains("queue_size");

        assertThat(http.post("/v2/repository/models/waiting/unload", "").status()).isEqualTo(401);
        HttpCalls.Answer unload = http.post("/v2/repository/models/waiting/unload", "", "Authorization", AUTH);
        assertThat(unload.status()).as(unload.text()).isEqualTo(200);
        assertThat(unload.json().get("drained").asBoolean()).isTrue();
        assertThat(unload.json().get("state").asText()).isEqualTo("UNAVAILABLE");
        assertThat(Await.result(first, Duration.ofMinutes(2), "the first answer").status()).isEqualTo(200);
        JsonNode secondAnswer = Await.result(second, Duration.ofMinutes(2), "the second answer").json();
        assertThat(secondAnswer.at("/outputs/0/shape").toString()).isEqualTo("[2,5]");

        HttpCalls.Answer gone = http.post("/v2/models/waiting/infer", ones(1, ""));
        assertThat(gone.status()).isEqualTo(503);
        assertThat(gone.json().get("error").asText()).contains("not loaded", "/v2/repository/models/waiting/load");
        assertThat(http.get("/v2/models/waiting/ready").status()).isEqualTo(503);
        JsonNode index = http.post("/v2/repository/index", "", "Authorization", AUTH).json();
        assertThat(index.toString()).contains("\"name\":\"waiting\"", "\"state\":\"UNAVAILABLE\"", "unloaded");

        HttpCalls.Answer load = http.post("/v2/repository/models/waiting/load", "", "Authorization", AUTH);
        assertThat(load.status()).as(load.text()).isEqualTo(200);
        assertThat(load.json().get("state").asText()).isEqualTo("READY");
        assertThat(http.post("/v2/models/waiting/infer", ones(8, "")).status()).isEqualTo(200);
    }

    @Test
    void theRepositoryApiNeedsTheAdminToken() {
        HttpCalls.Answer none = http.get("/v2/repository/index");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(http.get("/v2/repository/index", "Authorization", "Bearer wrong").status()).isEqualTo(401);
        HttpCalls.Answer index = http.get("/v2/repository/index", "Authorization", AUTH);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.json().toString()).contains("expiring");
        HttpCalls.Answer missing = http.post("/v2/repository/models/nothing/load", "", "Authorization", AUTH);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).contains("'nothing' is not in the repository");
    }
}
