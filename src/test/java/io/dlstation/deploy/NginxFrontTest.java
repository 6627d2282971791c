package io.dlstation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.dlstation.config.ServeConfig;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.ServeFixtures;
import io.dlstation.serve.http.HttpSettings;
import io.dlstation.serve.http.ModelServer;
import io.dlstation.testing.Await;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped nginx.conf in front of two real servers (the CPU engine, the small TorchScript model):
 * requests pass, oversized bodies and /metrics stop at nginx, and a server that drains under a steady
 * stream of requests costs no client an error.
 */
class NginxFrontTest {
    private static final ServeConfig DEFAULTS = ServeConfig.defaults();
    private static final String MODEL = "tiny";

    @TempDir
    Path repository;

    @TempDir
    Path nginxDir;

    private final List<ModelServer> servers = new ArrayList<>();
    private NginxFront nginx;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws IOException {
        Path program = DeployFiles.assumeInstalled("nginx", "nginx");
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, MODEL, "max_batch_size: 8\nmax_batch_delay_ms: 1\nwarmup_batches: 0\n");
        for (int i = 0; i < 2; i++) {
            ModelServer server = ModelServer.start(new HttpSettings("127.0.0.1", 0, DEFAULTS.maxRequestBytes(),
                    DEFAULTS.queueFullStatus(), DEFAULTS.retryAfterSeconds(), null, DEFAULTS.drainTimeout()),
                    new ModelRepository(repository, Map.of()), List.of(Device.cpu()), new PrometheusRegistry());
            servers.add(server);
            Await.result(server.startup(), Duration.ofMinutes(5), "the models to load");
        }
        nginx = NginxFront.start(program, nginxDir, servers.stream().map(ModelServer::port).toList());
    }

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        servers.forEach(ModelServer::close);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("no answer through nginx: " + e + "\n" + nginx.log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + path)).GET());
    }

    private HttpResponse<String> infer() {
        float[] ones = new float[3 * 32 * 32];
        Arrays.fill(ones, 1f);
        String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 32, 32], \"datatype\": \"FP32\", \"data\": "
                + Arrays.toString(ones) + "}]}";
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + "/v2/models/" + MODEL
                + "/infer")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void inferenceHealthAndSeedEndpointsPassThrough() {
        HttpResponse<String> answer = infer();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"model_name\":\"tiny\"", "probabilities");
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/v2").body()).contains("dlstation");
        assertThat(get("/v2/models/" + MODEL).body()).contains("[-1,3,32,32]");
        assertThat(get("/stats").statusCode()).isEqualTo(200);
        HttpResponse<String> predict = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port()
                + "/predict?model=" + MODEL)).POST(HttpRequest.BodyPublishers.ofString("{\"data\": "
                + Arrays.toString(new float[3 * 32 * 32]) + "}")));
        assertThat(predict.statusCode()).as(predict.body()).isEqualTo(200);
        assertThat(predict.body()).contains("\"label\"");
    }

    @Test
    void metricsAndRepositoryApiAreNotPublic() {
        assertThat(get("/metrics").statusCode()).isEqualTo(403);
        assertThat(get("/v2/repository/index").statusCode()).isEqualTo(403);
        assertThat(get("/elsewhere").statusCode()).isEqualTo(404);
    }

    @Test
    void bodiesOverTheServersLimitAreRefusedByNginxBeforeTheyAreSent() throws IOException {
        Matcher limit = Pattern.compile("client_max_body_size (\\d+)m;").matcher(DeployFiles.read("nginx/nginx.conf"));
        assertThat(limit.find()).as("client_max_body_size in MiB").isTrue();
        assertThat(Long.parseLong(limit.group(1)) << 20).as("the server's --max-request-bytes default")
                .isEqualTo(DEFAULTS.maxRequestBytes());
        try (Socket socket = new Socket("127.0.0.1", nginx.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/models/" + MODEL + "/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + "application/octet-stream\r\nContent-Length: " + (DEFAULTS.maxRequestBytes() + 1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[4096]);
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).isEqualTo("HTTP/1.1 413");
        }
        assertThat(get("/stats").body()).as("no request reached a server").contains("\"requests\":0");
    }

    @Test
    void timeoutsOutlastTheDrain() {
        String conf = DeployFiles.read("nginx/nginx.conf");
        for (String directive : List.of("proxy_read_timeout", "proxy_send_timeout")) {
            Matcher timeout = Pattern.compile(directive + " (\\d+)s;").matcher(conf);
            assertThat(timeout.find()).as(directive).isTrue();
            assertThat(Duration.ofSeconds(Long.parseLong(timeout.group(1)))).as(directive)
                    .isGreaterThan(DEFAULTS.drainTimeout());
        }
        Matcher idle = Pattern.compile("keepalive_timeout (\\d+)s;").matcher(conf);
        assertThat(idle.find()).as("keepalive_timeout").isTrue();
        assertThat(Duration.ofSeconds(Long.parseLong(idle.group(1))))
                .as("keepalive_timeout: nginx closes its idle connections to a draining server within its drain")
                .isLessThan(DEFAULTS.drainTimeout());
        assertThat(conf).contains("keepalive ", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";");
    }

    @Test
    void aServerDrainingUnderASteadyStreamCostsNoClientAnError() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> streams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                streams.add(clients.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> answer = infer();
                        if (answer.statusCode() != 200) {
                            failures.add(answer.statusCode() + " " + answer.body());
                        }
                        answered.incrementAndGet();
                    }
                }));
            }
            awaitAnswers(answered, 40);
            ModelServer first = servers.get(0);
            // what SIGTERM runs: readiness off, no new connections, 503 and Connection: close to new requests,
            // queued ones finish, then it waits for nginx to close its connections (reused or idle)
            assertThat(first.drain()).as("connections still open when the drain time ran out").isZero();
            assertThat(first.status().isReady()).isFalse();
            int afterDrain = answered.get();
            awaitAnswers(answered, afterDrain + 40); // now all on the second server
            running.set(false);
            for (Future<?> stream : streams) {
                Await.result(stream, Duration.ofMinutes(2), "a client's requests to end");
            }
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
        assertThat(failures).as("answers other than 200 while a server drained (nginx log:\n%s)", nginx.log())
                .isEmpty();
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
    }

    private static void awaitAnswers(AtomicInteger answered, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (answered.get() < count) {
            assertThat(System.nanoTime()).as("answers within 60s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
