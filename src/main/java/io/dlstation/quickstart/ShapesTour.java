package io.dlstation.quickstart;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.data.DataSpec;
import io.dlstation.data.ImageDataset;
import io.dlstation.data.ShapesDataset;
import io.dlstation.engine.MemoryProbe;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.models.Architecture;
import io.dlstation.serve.ModelRepository;
import io.dlstation.serve.http.HttpSettings;
import io.dlstation.serve.http.ModelServer;
import io.dlstation.time.Ticker;
import io.dlstation.train.LrSchedule;
import io.dlstation.train.TrainProgress;
import io.dlstation.train.TrainSettings;
import io.dlstation.train.TrainSummary;
import io.dlstation.train.Trainer;
import io.dlstation.train.TrainingDataSources;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The second half of the first-run tour: train the small CNN on the built-in shapes, serve the exported
 * model on a free loopback port, send it real images (shapes it has never seen) as a client would, and
 * shut the server down cleanly. Everything the tour makes goes under one folder.
 */
public final class ShapesTour {
    private static final int IMAGE = 32;
    private static final int QUESTIONS = 20;

    /**
     * What the tour did.
     *
     * @param answers one line per request: the true shape, the answer and its probability
     * @param latenciesMs each request's round trip through HTTP, in milliseconds
     * @param metricsLine the server's request counter from its /metrics
     */
    public record Result(TrainSummary training, Path modelFolder, List<String> answers, int correct,
            double[] latenciesMs, String metricsLine) {

        /** The median round trip. */
        public double medianLatencyMs() {
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    private ShapesTour() {}

    /**
     * Trains the CNN, then serves it and asks it {@value #QUESTIONS} questions.
     *
     * @param ticker times each request's round trip
     */
    public static Result run(Device device, Path folder, int epochs, MemoryProbe memory, TrainProgress progress,
            Ticker ticker) {
        TrainSettings settings = TrainSettings.builder()
                .setModel(Architecture.SMALL_CNN)
                .setData(DataSpec.parse("shapes"))
                .setOut(folder.resolve("train"))
                .optEpochs(epochs)
                .optPrecision(device.isGpu() ? Precision.FP16_MIXED : Precision.FP32)
                .optLrSchedule(LrSchedule.COSINE)
                .optInputSize(IMAGE)
                .optValidationSize(1000)
                .optWorkers(Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())))
                .optKeepCheckpoints(1)
                .optLogEvery(25)
                .build();
        TrainSummary summary = new Trainer(settings, false, device,
                (s, manager, type) -> TrainingDataSources.open(s, manager, type, progress::warn), memory, progress,
                Clock.systemUTC()).run();
        Path model = folder.resolve("train").resolve("model");
        progress.info("serving " + model + " on a free loopback port...");
        HttpSettings http = new HttpSettings("127.0.0.1", 0, 64L << 20, 429, 1, null, Duration.ofSeconds(10));
        ModelServer server = ModelServer.start(http, new ModelRepository(null, Map.of("shapes", model)),
                List.of(device), new PrometheusRegistry());
        try {
            server.startup().join();
            return ask(server.port(), summary, model, ticker);
        } finally {
            server.drain(); // what a SIGTERM does: finish what is queued, then stop
        }
    }

    private static Result ask(int port, TrainSummary summary, Path model, Ticker ticker) {
        // shapes the model has never seen: another seed than training's
        ImageDataset unseen = ShapesDataset.split(7, 1, QUESTIONS, IMAGE).validation();
        ObjectMapper json = new ObjectMapper();
        List<String> answers = new ArrayList<>();
        double[] latencies = new double[QUESTIONS];
        int correct = 0;
        byte[] pixels = new byte[IMAGE * IMAGE * 3];
        // closed before the server drains, which waits for its clients to close their connections
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int i = 0; i < QUESTIONS; i++) {
                String truth = unseen.classes().get(unseen.read(i, pixels, 0, null));
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
                        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png(pixels)))
                        .build();
                long start = ticker.read();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                latencies[i] = (ticker.read() - start) / 1e6;
                if (response.statusCode() != 200) {
                    throw new DlstationException(ErrorCode.INTERNAL, "the server answered " + response.statusCode()
                            + ": " + response.body());
                }
                JsonNode answer = json.readTree(response.body());
                String label = answer.path("label").asText();
                if (label.equals(truth)) {
                    correct++;
                }
                answers.add(String.format(java.util.Locale.ROOT, "%-8s -> %-8s %.3f", truth, label,
                        answer.path("confidence").asDouble()));
            }
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            String counter = metrics.body().lines().filter(l -> l.startsWith("dlstation_serve_requests_total{"))
                    .findFirst().orElse("(no request counter)");
            return new Result(summary, model, answers, correct, latencies, counter);
        } catch (IOException e) {
            throw new UncheckedIOException("the tour could not talk to its server: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DlstationException(ErrorCode.UNAVAILABLE, "interrupted while asking the server");
        }
    }

    /** An HWC RGB image as PNG bytes. */
    private static byte[] png(byte[] rgb) throws IOException {
        BufferedImage image = new BufferedImage(IMAGE, IMAGE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < IMAGE; y++) {
            for (int x = 0; x < IMAGE; x++) {
                int p = (y * IMAGE + x) * 3;
                image.setRGB(x, y, (rgb[p] & 0xff) << 16 | (rgb[p + 1] & 0xff) << 8 | (rgb[p + 2] & 0xff));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }
}
