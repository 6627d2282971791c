package io.dlstation.serve;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import io.dlstation.engine.Scopes;
import io.dlstation.serve.protocol.HostTensor;
import io.dlstation.serve.protocol.InputSpec;
import io.dlstation.serve.protocol.TensorType;
import io.dlstation.time.Ticker;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The in-process ceiling a server is measured against: the model loaded as the server loads it, run
 * on full batches from the calling thread with no HTTP and no queue. Two figures per batch size:
 * <ul>
 *   <li>{@code pipeline}: what a server worker does per batch (the requests' host bytes copied into one
 *       buffer, one copy to the device, the forward pass, outputs back and split), so HTTP throughput
 *       divided by it is the serving efficiency;
 *   <li>{@code forward}: the forward pass alone on inputs already on the device, waited for.
 * </ul>
 * Both take their inputs through the server's own worker code ({@link ModelInstance}), which casts them to
 * the model's compute type and normalises pixel inputs (UINT8 with a mean or std) on the device: the
 * model runs on exactly what it runs on in the server.
 */
public final class InProcessBench {
    /** One batch size's figures; latencies in milliseconds. */
    public record Point(int batchSize, int iterations, double pipelineSamplesPerSecond, double pipelineP50Ms,
            double pipelineP90Ms, double pipelineP99Ms, double forwardSamplesPerSecond, double forwardP50Ms) {}

    private InProcessBench() {}

    /** Loads {@code spec} on {@code device} and measures each batch size on the system's ticker. */
    public static List<Point> run(ModelSpec spec, Device device, List<Integer> batchSizes, int warmup, int iterations,
            PrintWriter progress) {
        return run(spec, device, batchSizes, warmup, iterations, progress, Ticker.system());
    }

    /** Loads {@code spec} on {@code device} and measures each batch size, each iteration timed by {@code ticker}. */
    public static List<Point> run(ModelSpec spec, Device device, List<Integer> batchSizes, int warmup, int iterations,
            PrintWriter progress, Ticker ticker) {
        int largest = batchSizes.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<Point> points = new ArrayList<>();
        JniUtils.setGradMode(false);
        try (LoadedModel loaded = LoadedModel.load(spec, device)) {
            ModelInstance instance = new ModelInstance(spec, loaded, largest);
            for (int batch : batchSizes) {
                InferInput input = randomInput(spec, batch, new Random(batch));
                double[] pipeline = time(ticker, warmup, iterations, () -> instance.run(List.of(input)));
                double[] forward;
                try (NDManager scope = loaded.manager().newSubManager()) {
                    NDList onDevice = instance.deviceInputs(List.of(input), scope);
                    forward = time(ticker, warmup, iterations, () -> {
                        try (NDManager step = scope.newSubManager()) {
                            NDArray out = loaded.forward(Scopes.views(onDevice, step)).get(0);
                            out.reshape(-1).get(0).toType(DataType.FLOAT32, false).getFloat();
                        }
                    });
                }
                Point p = new Point(batch, iterations, batch * 1000.0 / mean(pipeline), pct(pipeline, 50),
                        pct(pipeline, 90), pct(pipeline, 99), batch * 1000.0 / mean(forward), pct(forward, 50));
                points.add(p);
                if (progress != null) {
                    progress.printf(Locale.ROOT, "batch %d: pipeline %.1f samples/s (p50 %.2f ms), forward %.1f "
                            + "samples/s (p50 %.2f ms)%n", batch, p.pipelineSamplesPerSecond(), p.pipelineP50Ms(),
                            p.forwardSamplesPerSecond(), p.forwardP50Ms());
                    progress.flush();
                }
            }
        }
        return points;
    }

    private static double[] time(Ticker ticker, int warmup, int iterations, Runnable work) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = ticker.read();
            work.run();
            ms[i] = (ticker.read() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    /** {@code samples} random samples of every input of {@code spec}. */
    static InferInput randomInput(ModelSpec spec, int samples, Random random) {
        List<HostTensor> tensors = new ArrayList<>();
        for (InputSpec in : spec.inputs()) {
            long[] shape = new long[in.shape().length + 1];
            shape[0] = samples;
            System.arraycopy(in.shape(), 0, shape, 1, in.shape().length);
            long n = HostTensor.elementCount(shape);
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(n * in.type().bytes())).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; i++) {
                switch (in.type()) {
                    case FP32 -> b.putFloat((float) random.nextGaussian());
                    case FP16 -> b.putShort(Float.floatToFloat16((float) random.nextGaussian()));
                    case FP64 -> b.putDouble(random.nextGaussian());
                    case INT64 -> b.putLong(random.nextInt(1000));
                    case INT32 -> b.putInt(random.nextInt(1000));
                    default -> b.put((byte) random.nextInt(in.type() == TensorType.BOOL ? 2 : 100));
                }
            }
            tensors.add(new HostTensor(in.name(), in.type(), shape, b.flip()));
        }
        return new InferInput(tensors, samples);
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double pct(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return Math.round(sorted[Math.max(0, Math.min(sorted.length - 1, index))] * 1000) / 1000.0;
    }
}
