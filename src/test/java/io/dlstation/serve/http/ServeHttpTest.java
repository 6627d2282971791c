package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dlstation.serve.ServeFixtures;
import io.dlstation.testing.Await;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on port 0 with the small TorchScript models and a train-exported folder, on the CPU engine:
 * every endpoint and every error, each request answered once, the server serving on after each fault.
 */
class ServeHttpTest {
    private static final String TOKEN = "s3cret";

    @TempDir
    static Path repository;

    private static ModelServer server;
    private static HttpCalls http;

    @BeforeAll
    static void start() {
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, "tiny", "max_batch_size: 8\nmax_batch_delay_ms: 1\nwarmup_batches: 1\n");
        ServeFixtures.tinyCnn(repository, "waiting",
                "max_batch_size: 8\nmax_batch_delay_ms: 60000\nqueue_size: 2\nwarmup_batches: 0\n");
        ServeFixtures.failing(repository, "failing", "max_batch_size: 4\nmax_batch_delay_ms: 0\nwarmup_batches: 0\n");
        ServeFixtures.tinyCnn(repository, "wide", "max_batch_size: 32\nmax_batch_delay_ms: 5\nwarmup_batches: 0\n");
        ServeFixtures.trainExport(repository, "trained");
        ServeFixtures.tinyCnnPixels(repository, "pixels",
                "max_batch_size: 4\nmax_batch_delay_ms: 1\nwarmup_batches: 1\nwarmup_every_size: true\n");
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 1 << 20, 429, 1, TOKEN, Duration.ofSeconds(10));
        server = CpuServers.started(settings, repository);
        http = new HttpCalls(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String ones(String model, int samples, String extra) {
        float[] values = new float[samples * 3 * 32 * 32];
        Arrays.fill(values, 1f);
        return "{\"id\": \"r1\", \"inputs\": [{\"name\": \"input\", \"shape\": [" + samples + ", 3, 32, 32], "
                + "\"datatype\": \"FP32\", \"data\": " + Arrays.toString(values) + "}]" + extra + "}";
    }

    private static double[] data(JsonNode output) {
        List<Double> values = new ArrayList<>();
        output.get("data").forEach(v -> values.add(v.asDouble()));
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void assertError(HttpCalls.Answer answer, int status, String... fragments) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        String error = answer.json().get("error").asText();
        assertThat(error).contains(fragments).doesNotContain("Exception").doesNotContain("io.dlstation")
                .doesNotContain("ai.djl").doesNotContain("\tat ");
    }

    @Test
    void serverAndHealthEndpoints() {
        JsonNode meta = http.get("/v2").json();
        assertThat(meta.get("name").asText()).isEqualTo("dlstation");
        assertThat(meta.get("extensions").toString()).contains("binary_tensor_data", "model_repository");
        assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
        HttpCalls.Answer ready = http.get("/v2/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").asBoolean()).isTrue();
        assertThat(http.get("/v2/models/tiny/ready").json().get("ready").asBoolean()).isTrue();
        assertError(http.get("/nowhere"), 404, "no endpoint GET /nowhere");
    }

    @Test
    void modelMetadataDescribesInputsOutputsAndBatching() {
        JsonNode meta = http.get("/v2/models/tiny").json();
        assertThat(meta.get("platform").asText()).isEqualTo("pytorch_torchscript");
        assertThat(meta.at("/inputs/0/name").asText()).isEqualTo("input");
        assertThat(meta.at("/inputs/0/shape").toString()).isEqualTo("[-1,3,32,32]");
        assertThat(meta.at("/outputs/0/name").asText()).isEqualTo("probabilities");
        assertThat(meta.at("/outputs/0/shape").toString()).isEqualTo("[-1,5]");
        assertThat(meta.at("/parameters/max_batch_size").asInt()).isEqualTo(8);
        assertThat(meta.at("/parameters/warmup_every_size").asBoolean()).as("not by default on the CPU").isFalse();
        assertThat(http.get("/v2/models/pixels").json().at("/parameters/warmup_every_size").asBoolean()).isTrue();
        assertThat(http.get("/v2/models/tiny/versions/1").status()).isEqualTo(200);
        assertError(http.get("/v2/models/tiny/versions/7"), 404, "no version '7'");
        JsonNode trained = http.get("/v2/models/trained").json();
        assertThat(trained.get("platform").asText()).isEqualTo("dlstation_small-cnn");
        assertThat(trained.at("/outputs/0/shape").toString()).isEqualTo("[-1,3]");
    }

    @Test
    void jsonInferenceMatchesPyTorch() {
        HttpCalls.Answer answer = http.post("/v2/models/tiny/infer", ones("tiny", 1, ""));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("model_name").asText()).isEqualTo("tiny");
        assertThat(body.get("id").asText()).isEqualTo("r1");
        JsonNode output = body.at("/outputs/0");
        assertThat(output.get("datatype").asText()).isEqualTo("FP32");
        assertThat(output.get("shape").toString()).isEqualTo("[1,5]");
        double[] expected = ServeFixtures.softmax(ServeFixtures.TINY_CNN_ONES);
        double[] actual = data(output);
        for (int i = 0; i < 5; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(1e-5));
        }
    }

    @Test
    void aRequestOfSeveralSamplesGetsARowEach() {
        JsonNode output = http.post("/v2/models/tiny/infer", ones("tiny", 3, "")).json().at("/outputs/0");
        assertThat(output.get("shape").toString()).isEqualTo("[3,5]");
        double[] rows = data(output);
        assertThat(Arrays.copyOfRange(rows, 10, 15)).containsExactly(Arrays.copyOfRange(rows, 0, 5), within(1e-6));
    }

    @Test
    void binaryTensorDataInAndOut() {
        ByteBuffer tensor = ByteBuffer.allocate(3 * 32 * 32 * 4).order(ByteOrder.LITTLE_ENDIAN);
        while (tensor.hasRemaining()) {
            tensor.putFloat(1f);
        }
        byte[] header = ("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 32, 32], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": " + tensor.capacity() + "}}], "
                + "\"outputs\": [{\"name\": \"probabilities\", \"parameters\": {\"binary_data\": true}}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(header.length + tensor.capacity()).put(header).put(tensor.array()).array();

        HttpCalls.Answer answer = http.post("/v2/models/tiny/infer", body,
                "Inference-Header-Content-Length", Integer.toString(header.length),
                "Content-Type", "application/octet-stream");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        int jsonLength = Integer.parseInt(answer.header("Inference-Header-Content-Length"));
        JsonNode json;
        try {
            json = HttpCalls.JSON.readTree(Arrays.copyOf(answer.body(), jsonLength));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(json.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(20);
        ByteBuffer out = ByteBuffer.wrap(answer.body(), jsonLength, 20).slice().order(ByteOrder.LITTLE_ENDIAN);
        double[] expected = ServeFixtures.softmax(ServeFixtures.TINY_CNN_ONES);
        for (int i = 0; i < 5; i++) {
            assertThat((double) out.getFloat(i * 4)).isCloseTo(expected[i], within(1e-5));
        }
    }

    /** A binary request of {@code samples} samples whose every value is {@code value}, asking for binary outputs. */
    private static HttpCalls.Answer binaryRequest(String model, int samples, float value) {
        ByteBuffer tensor = ByteBuffer.allocate(samples * 3 * 32 * 32 * 4).order(ByteOrder.LITTLE_ENDIAN);
        while (tensor.hasRemaining()) {
            tensor.putFloat(value);
        }
        byte[] header = ("{\"inputs\": [{\"name\": \"input\", \"shape\": [" + samples + ", 3, 32, 32], "
                + "\"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": " + tensor.capacity() + "}}], "
                + "\"parameters\": {\"binary_data_output\": true}}").getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(header.length + tensor.capacity()).put(header).put(tensor.array()).array();
        return http.post("/v2/models/" + model + "/infer", body, "Inference-Header-Content-Length",
                Integer.toString(header.length), "Content-Type", "application/octet-stream");
    }

    @Test
    void largeBodiesReadIntoPooledArraysEachGetTheAnswerToTheirOwnBytes() throws Exception {
        int samples = 6; // 73,728 bytes of tensor: over RequestBody.POOLED_FROM, and five requests fit a batch
        assertThat(samples * 3 * 32 * 32 * 4).isGreaterThan(RequestBody.POOLED_FROM);
        float[] values = {0f, 1f, -2f, 0.5f};
        List<byte[]> alone = new ArrayList<>();
        for (float v : values) {
            HttpCalls.Answer answer = binaryRequest("wide", samples, v);
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            alone.add(answer.body());
        }
        assertThat(alone.get(0)).isNotEqualTo(alone.get(1));

        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<HttpCalls.Answer>> together = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                float v = values[i % values.length];
                together.add(CompletableFuture.supplyAsync(() -> binaryRequest("wide", samples, v), clients));
            }
            for (int i = 0; i < together.size(); i++) {
                HttpCalls.Answer answer = Await.result(together.get(i), Duration.ofMinutes(2), "answer " + i);
                assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                assertThat(answer.body()).as("request %d", i).isEqualTo(alone.get(i % values.length));
            }
        }
        JsonNode stats = http.get("/stats").json().at("/models/wide");
        assertThat(stats.get("avg_batch_size").asDouble()).as("some batches held several requests")
                .isGreaterThan(samples);
    }

    @Test
    void classificationExtensionListsTopClassesWithLabels() {
        JsonNode output = http.post("/v2/models/tiny/infer", ones("tiny", 1,
                ", \"outputs\": [{\"name\": \"probabilities\", \"parameters\": {\"classification\": 2}}]"))
                .json().at("/outputs/0");
        assertThat(output.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(output.get("shape").toString()).isEqualTo("[1,2]");
        assertThat(output.at("/data/0").asText()).endsWith(":0:circle");
        assertThat(output.at("/data/1").asText()).endsWith(":1:square");
    }

    @Test
    void predictTakesDataAndImagesAsTheSeedDid() throws IOException {
        float[] values = new float[3 * 32 * 32];
        Arrays.fill(values, 1f);
        JsonNode p = http.post("/predict?model=tiny", "{\"data\": " + Arrays.toString(values) + "}").json();
        assertThat(p.get("label").asText()).isEqualTo("circle");
        assertThat(p.get("class_index").asInt()).isZero();
        assertThat(p.get("prediction")).hasSize(5);
        assertThat(p.get("confidence").asDouble()).isCloseTo(ServeFixtures.softmax(ServeFixtures.TINY_CNN_ONES)[0],
                within(1e-5));
        assertThat(p.get("top_k")).hasSize(3);
        assertThat(p.get("latency_ms").asDouble()).isPositive();

        BufferedImage image = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
        image.setRGB(10, 10, 0xff8800);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        HttpCalls.Answer fromImage = http.post("/predict?model=trained", png.toByteArray(), "Content-Type", "image/png");
        assertThat(fromImage.status()).as(fromImage.text()).isEqualTo(200);
        assertThat(fromImage.json().get("label").asText()).isIn("cat", "dog", "bird");
        assertThat(fromImage.json().get("top_k")).hasSize(2);

        assertError(http.post("/predict", "{\"data\": [1, 2]}"), 400, "several models are loaded", "?model=");
        assertError(http.post("/predict?model=tiny", "{\"data\": [1, 2]}"), 400, "data has 2 values", "3072");
    }

    @Test
    void pixelInputsAreNormalisedOnTheDevice() throws IOException {
        // (255 / 255 - 0.2) / 0.8 = 1: white pixels reach the model as the ones PyTorch's figures are for
        int[] white = new int[3 * 32 * 32];
        Arrays.fill(white, 255);
        HttpCalls.Answer answer = http.post("/v2/models/pixels/infer", "{\"inputs\": [{\"name\": \"input\", "
                + "\"shape\": [1, 3, 32, 32], \"datatype\": \"UINT8\", \"data\": " + Arrays.toString(white) + "}]}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        double[] expected = ServeFixtures.softmax(ServeFixtures.TINY_CNN_ONES);
        double[] actual = data(answer.json().at("/outputs/0"));
        for (int i = 0; i < 5; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(1e-5));
        }
        assertThat(http.get("/v2/models/pixels").json().at("/inputs/0/datatype").asText()).isEqualTo("UINT8");

        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, 0xffffff);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        HttpCalls.Answer fromImage = http.post("/predict?model=pixels", png.toByteArray(), "Content-Type", "image/png");
        assertThat(fromImage.status()).as(fromImage.text()).isEqualTo(200);
        assertThat(fromImage.json().get("confidence").asDouble()).isCloseTo(expected[0], within(1e-5));

        assertError(http.post("/v2/models/pixels/infer", "{\"inputs\": [{\"name\": \"input\", "
                + "\"shape\": [1, 3, 32, 32], \"datatype\": \"FP32\", \"data\": " + Arrays.toString(white) + "}]}"),
                400, "UINT8");
    }

    @Test
    void badRequestsAreAnswered400NamingTheField() {
        assertError(http.post("/v2/models/tiny/infer", "{\"inputs\": [{\"name\": "), 400, "not valid JSON");
        assertError(http.post("/v2/models/tiny/infer", "[1, 2]"), 400, "the request body must be a JSON object");
        assertError(http.post("/v2/models/tiny/infer", ones("tiny", 1, "").replace("FP32", "FP64")), 400,
                "input 'input' datatype FP64", "FP32");
        assertError(http.post("/v2/models/tiny/infer", ones("tiny", 1, "").replace("FP32", "BF16")), 400,
                "inputs[0] ('input').datatype BF16");
        assertError(http.post("/v2/models/tiny/infer", ones("tiny", 1, "").replace("[1, 3, 32, 32]", "[1, 3, 64, 16]")),
                400, "input 'input' shape [1, 3, 64, 16]", "[-1, 3, 32, 32]");
        assertError(http.post("/v2/models/tiny/infer", ones("tiny", 1, "").replace("[1, 3, 32, 32]", "[2, 3, 32, 32]")),
                400, "inputs[0] ('input').data has 3072 values", "6144");
        assertError(http.post("/v2/models/tiny/infer", ones("tiny", 1, "").replace("\"input\"", "\"image\"")),
                400, "input 'image' is not an input of model 'tiny'");
        assertError(http.post("/v2/models/tiny/infer", ones("tiny", 9, "")), 400, "at most 8", "max_batch_size");
        assertError(http.post("/v2/models/tiny/infer", ones("tiny", 1, ", \"outputs\": [{\"name\": \"logits\"}]")),
                400, "'logits' is not an output");
        assertError(http.post("/v2/models/tiny/infer", ones("tiny", 1, ", \"parameters\": {\"priority\": \"urgent\"}")),
                400, "parameters.priority 'urgent'");
        assertThat(http.post("/v2/models/tiny/infer", ones("tiny", 1, "")).status()).isEqualTo(200);
    }

    @Test
    void unknownModelsAre404AndHugeBodies413() {
        assertError(http.post("/v2/models/nope/infer", ones("nope", 1, "")), 404, "model 'nope' is unknown", "tiny");
        assertError(http.get("/v2/models/nope"), 404, "model 'nope' is unknown");
        byte[] huge = new byte[(1 << 20) + 10];
        Arrays.fill(huge, (byte) ' ');
        assertError(http.postExpectingContinue("/v2/models/tiny/infer", huge), 413, "at most 1048576",
                "--max-request-bytes");
        assertThat(http.post("/v2/models/tiny/infer", ones("tiny", 1, "")).status()).isEqualTo(200);
    }

    @Test
    void anAnswerGivenBeforeTheBodyArrivedTellsTheClientTheConnectionCloses() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(HttpWire.postHead(server.port(), "/v2/models/nope/infer", 100_000));
            out.write(new byte[1000]); // and the rest never
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());

            HttpWire.Answer answer = HttpWire.read(in);

            assertThat(answer.status()).as(answer.body()).isEqualTo(404);
            assertThat(answer.close()).as("Connection: close: the server closes a connection whose body it did not read")
                    .isTrue();
            assertThat(in.read()).isEqualTo(-1);
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(HttpWire.getHead(server.port(), "/v2/health/ready"));
            HttpWire.Answer answer = HttpWire.read(new BufferedInputStream(socket.getInputStream()));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.close()).as("no body: the connection stays open").isFalse();
        }
    }

    @Test
    void aFailingForwardPassFailsItsRequestsAndTheModelServesOn() {
        String negative = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, -2, 3, 4]}]}";
        assertError(http.post("/v2/models/failing/infer", negative), 500, "model 'failing' failed", "negative input");
        HttpCalls.Answer ok = http.post("/v2/models/failing/infer", negative.replace("-2", "2"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(data(ok.json().at("/outputs/0"))).containsExactly(2, 4, 6, 8);
    }

    @Test
    void manyConcurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<HttpCalls.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                int samples = 1 + i % 3;
                answers.add(CompletableFuture.supplyAsync(() -> http.post("/v2/models/tiny/infer",
                        ones("tiny", samples, "").replace("\"r1\"", "\"c" + samples + "\"")), clients));
            }
            double[] expected = ServeFixtures.softmax(ServeFixtures.TINY_CNN_ONES);
            for (CompletableFuture<HttpCalls.Answer> f : answers) {
                JsonNode body = Await.result(f, Duration.ofMinutes(2), "an answer").json();
                int samples = Integer.parseInt(body.get("id").asText().substring(1));
                double[] rows = data(body.at("/outputs/0"));
                assertThat(rows).hasSize(5 * samples);
                assertThat(rows[5 * samples - 1]).isCloseTo(expected[4], within(1e-5));
            }
        }
        assertThat(http.get("/stats").json().at("/models/tiny/avg_batch_size").asDouble()).isGreaterThan(1.0);
    }

    @Test
    void metricsAndStats() {
        http.post("/v2/models/tiny/infer", ones("tiny", 1, ""));
        String metrics = http.get("/metrics").text();
        assertThat(metrics).contains("dlstation_serve_requests_total{model=\"tiny\",status=\"200\"}",
                "dlstation_serve_request_duration_seconds_bucket{model=\"tiny\"",
                "dlstation_serve_queue_duration_seconds_count{model=\"tiny\"}",
                "dlstation_serve_compute_duration_seconds_count{device=\"cpu\",model=\"tiny\"}",
                "dlstation_serve_batch_size_bucket{device=\"cpu\",model=\"tiny\"", "dlstation_serve_queue_depth{model=\"tiny\"}",
                "dlstation_serve_in_flight_requests{model=\"tiny\"}", "dlstation_serve_model_ready{model=\"tiny\"} 1");
        JsonNode stats = http.get("/stats").json();
        assertThat(stats.get("requests").asLong()).isPositive();
        assertThat(stats.at("/models/tiny/succeeded").asLong()).isPositive();
    }
}
