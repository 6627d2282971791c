package io.dlstation.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.dlstation.serve.protocol.HostTensor;
import io.dlstation.serve.protocol.TensorType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process ceiling on a model whose input is UINT8 pixels with a mean and std, on the CPU engine:
 * its forward figure runs the model on the inputs the server's worker code prepares (cast and
 * normalised on the device), so it measures what the server runs and computes what the server answers.
 */
class InProcessBenchTest {
    @TempDir
    static Path repository;

    private static ModelSpec pixels;

    @BeforeAll
    static void model() {
        ServeFixtures.startCpuEngine();
        pixels = ModelSpec.read("pixels", ServeFixtures.tinyCnnPixels(repository, "pixels", "max_batch_size: 4\n"));
    }

    /** {@code samples} white images as UINT8 pixel values. */
    private static InferInput white(int samples) {
        ByteBuffer bytes = ByteBuffer.allocate(samples * 3 * 32 * 32);
        Arrays.fill(bytes.array(), (byte) 255);
        return new InferInput(List.of(new HostTensor("input", TensorType.UINT8, new long[] {samples, 3, 32, 32},
                bytes)), samples);
    }

    @Test
    void pixelInputsAreMeasuredInProcess() {
        List<InProcessBench.Point> points = InProcessBench.run(pixels, Device.cpu(), List.of(1, 3), 1, 2, null);

        assertThat(points).extracting(InProcessBench.Point::batchSize).containsExactly(1, 3);
        for (InProcessBench.Point p : points) {
            assertThat(p.pipelineSamplesPerSecond()).isPositive();
            assertThat(p.forwardSamplesPerSecond()).isPositive();
            assertThat(p.forwardP50Ms()).isPositive();
        }
    }

    @Test
    void theForwardFigureRunsOnWhatTheServerFeedsTheModelAndComputesItsAnswer() {
        double[] expected = ServeFixtures.softmax(ServeFixtures.TINY_CNN_ONES);
        try (LoadedModel loaded = LoadedModel.load(pixels, Device.cpu())) {
            ModelInstance instance = new ModelInstance(pixels, loaded, 2);
            InferInput input = white(2);
            float[] logits;
            try (NDManager scope = loaded.manager().newSubManager()) {
                NDList onDevice = instance.deviceInputs(List.of(input), scope);
                NDArray image = onDevice.singletonOrThrow();
                assertThat(image.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(image.getShape().getShape()).containsExactly(2, 3, 32, 32);
                for (float v : image.toFloatArray()) {
                    assertThat(v).as("(255 / 255 - 0.2) / 0.8").isCloseTo(1f, within(1e-6f));
                }
                logits = loaded.forward(onDevice).get(0).toFloatArray();
            }
            HostTensor served = instance.run(List.of(input)).get(0).tensors().get(0);

            for (int row = 0; row < 2; row++) {
                double[] in = new double[5];
                for (int i = 0; i < 5; i++) {
                    in[i] = logits[row * 5 + i];
                }
                double[] inProcess = ServeFixtures.softmax(in);
                for (int i = 0; i < 5; i++) {
                    assertThat(inProcess[i]).isCloseTo(expected[i], within(1e-5));
                    assertThat(served.getDouble(row * 5 + i)).as("what the server answers")
                            .isCloseTo(inProcess[i], within(1e-6));
                }
            }
        }
    }
}
