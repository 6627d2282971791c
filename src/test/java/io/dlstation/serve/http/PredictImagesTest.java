package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.data.EvaluationImages;
import io.dlstation.serve.GreyPng;
import io.dlstation.serve.ServeFixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images sent to {@code /predict} by the real server on the CPU engine: a decompression bomb refused from
 * its header, quickly and without the memory its decoding takes; corrupt images refused; an ordinary
 * image answered with a latency that counts its decoding.
 */
class PredictImagesTest {
    private static final Pattern REQUEST_SECONDS =
            Pattern.compile("dlstation_serve_request_duration_seconds_(count|sum)\\{model=\"tiny\"} (\\S+)");

    @TempDir
    static Path repository;

    private static ModelServer server;
    private static HttpCalls http;

    @BeforeAll
    static void start() {
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, "tiny", "max_batch_size: 4\nmax_batch_delay_ms: 0\nwarmup_batches: 1\n");
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 64L << 20, 429, 1, null, Duration.ofSeconds(10));
        server = CpuServers.started(settings, repository);
        http = new HttpCalls(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpCalls.Answer predict(byte[] image) {
        return http.post("/predict?model=tiny", image, "Content-Type", "image/png");
    }

    private static void assertServesOn() {
        HttpCalls.Answer ok = predict(GreyPng.black(64, 48));
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    }

    @Test
    void aDecompressionBombIsRefused413FromItsHeaderQuicklyAndWithoutTheMemoryItsDecodingTakes() {
        byte[] bomb = GreyPng.black(25_000, 25_000); // 625 MB of samples, 1.9 GB as RGB
        assertThat(bomb.length).isBetween(500_000, 700_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
        long started = System.nanoTime();

        HttpCalls.Answer answer = predict(bomb);

        double seconds = (System.nanoTime() - started) / 1e9;
        long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
        assertThat(answer.status()).as(answer.text()).isEqualTo(413);
        assertThat(answer.json().get("error").asText()).contains(
                "the PNG image is 25000x25000 (625000000 pixels; decoding it would take about 2.3 GiB of memory)",
                "over this server's limit of 40000000 pixels per image",
                "resize it (model input 'input' takes 32x32)", "--max-image-pixels", "serve.max_image_pixels");
        assertThat(seconds).as("decoding it takes about 20 s").isLessThan(2.0);
        assertThat(allocated).as("bytes allocated by every thread of this JVM, client and server, while it was "
                + "answered; decoding allocates 625 MB before any conversion").isLessThan(64L << 20);
        assertServesOn();
    }

    @Test
    void theDefaultLimitIsFortyMegapixels() {
        assertThat(HttpSettings.DEFAULT_MAX_IMAGE_PIXELS).isEqualTo(40_000_000);
        HttpCalls.Answer over = predict(GreyPng.black(8000, 5001));
        assertThat(over.status()).as(over.text()).isEqualTo(413);
        assertThat(over.json().get("error").asText()).contains("8000x5001 (40008000 pixels", "limit of 40000000");
    }

    @Test
    void truncatedAndCorruptImagesAreRefused400AndTheServerServesOn() {
        byte[] png = GreyPng.black(640, 480);
        HttpCalls.Answer truncated = predict(Arrays.copyOf(png, png.length - 40));
        assertThat(truncated.status()).as(truncated.text()).isEqualTo(400);
        assertThat(truncated.json().get("error").asText()).contains("the PNG image cannot be decoded",
                "corrupt, truncated");

        byte[] garbage = Arrays.copyOf(png, png.length);
        Arrays.fill(garbage, 33, garbage.length, (byte) 0x5a); // the signature and header kept, the rest noise
        HttpCalls.Answer corrupt = predict(garbage);
        assertThat(corrupt.status()).as(corrupt.text()).isEqualTo(400);
        assertThat(corrupt.json().get("error").asText()).contains("the PNG image cannot be decoded");

        HttpCalls.Answer notAnImage = predict("a PNG, says its Content-Type".getBytes(StandardCharsets.US_ASCII));
        assertThat(notAnImage.status()).as(notAnImage.text()).isEqualTo(400);
        assertThat(notAnImage.json().get("error").asText()).contains("not an image this server can decode");
        assertServesOn();
    }

    @Test
    void anImageAtTheLimitIsAnsweredAndItsLatencyCountsItsDecoding() throws IOException {
        byte[] png = GreyPng.black(8000, 5000); // 40 MP in 40 KB: about a second to decode and resize here
        double[] before = requestSeconds();

        HttpCalls.Answer answer = predict(png);

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        double latencyMs = answer.json().get("latency_ms").asDouble();
        double decodeMs = Double.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long started = System.nanoTime();
            BufferedImage image = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(png)));
            EvaluationImages.rgbHwc(image, 32);
            decodeMs = Math.min(decodeMs, (System.nanoTime() - started) / 1e6);
        }
        assertThat(decodeMs).as("decoding dwarfs the tiny model's forward pass (a few ms, 70 with the machine busy)")
                .isGreaterThan(200);
        assertThat(latencyMs).as("latency_ms with decoding %.1f ms", decodeMs).isGreaterThan(decodeMs / 2);
        double[] after = requestSeconds();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (after[0] == before[0] && System.nanoTime() < deadline) {
            after = requestSeconds(); // the handler records the request just after handing its answer to Jetty
        }
        assertThat(after[0]).as("requests recorded").isEqualTo(before[0] + 1);
        assertThat(after[1] - before[1]).as("the request duration metric counts the decoding too")
                .isGreaterThanOrEqualTo(latencyMs / 1000);
    }

    /** The count and the sum of the model's request durations on /metrics. */
    private static double[] requestSeconds() {
        Matcher m = REQUEST_SECONDS.matcher(http.get("/metrics").text());
        double[] countAndSum = new double[2];
        while (m.find()) {
            countAndSum[m.group(1).equals("count") ? 0 : 1] = Double.parseDouble(m.group(2));
        }
        return countAndSum;
    }
}
