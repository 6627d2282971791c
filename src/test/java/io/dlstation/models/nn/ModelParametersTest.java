package io.dlstation.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dlstation.engine.Precision;
import io.dlstation.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModelParametersTest {

    private static float gradientSum(Linear layer, ModelParameters params, NDArray x) {
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(layer.apply(x, true).sum());
        }
        return params.named().get("weight").parameter().getArray().getGradient().sum().getFloat();
    }

    @Test
    void releasedGradientsStartAfreshWhileZeroedOnesAreReused() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Linear layer = new Linear(3, 2);
            ModelParameters params = ModelParameters.allocate(layer, m, Precision.FP32);
            NDArray x = m.ones(new Shape(4, 3));
            float first = gradientSum(layer, params, x);
            params.releaseGradients();
            assertThat(gradientSum(layer, params, x)).isEqualTo(first);
            params.zeroGradients();
            assertThat(gradientSum(layer, params, x)).isEqualTo(first);
            // without either, PyTorch adds the new gradient to the old one
            assertThat(gradientSum(layer, params, x)).isEqualTo(2 * first);
        }
    }

    @Test
    void releasingKeepsTheValuesAndTheFlatStorage() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Linear layer = new Linear(3, 2);
            ModelParameters params = ModelParameters.allocate(layer, m, Precision.FP16_MIXED);
            float before = params.named().get("weight").parameter().getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .sum().getFloat();
            params.releaseGradients();
            params.masterWeights().muli(2);
            params.syncComputeFromMaster();
            float after = params.named().get("weight").parameter().getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .sum().getFloat();
            assertThat(after).isCloseTo(2 * before, org.assertj.core.data.Offset.offset(1e-2f));
            assertThat(layer.apply(m.ones(new Shape(1, 3)).toType(ai.djl.ndarray.types.DataType.FLOAT16, false), false)
                    .getShape()).isEqualTo(new Shape(1, 2));
        }
    }

    @Test
    void valuesCanBeSetOnAThreadWhereAutogradIsOn() throws Exception {
        // a server's loading thread: PyTorch's grad mode is per thread and on by default
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            io.dlstation.models.SmallCnn model = new io.dlstation.models.SmallCnn(3, false);
            ModelParameters params = ModelParameters.allocate(model, manager, Precision.FP32);
            java.util.Map<String, NDArray> values = new java.util.HashMap<>();
            for (TorchParameter p : params.named().values()) {
                values.put(p.name(), manager.full(p.shape(), 0.25f));
            }
            Throwable[] failure = new Throwable[1];
            Thread loader = Thread.ofPlatform().start(() -> {
                try {
                    ai.djl.pytorch.jni.JniUtils.setGradMode(true);
                    params.setValues(values);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            Await.ended(loader, Duration.ofMinutes(2), "setting the values on another thread");
            assertThat(failure[0]).isNull();
            for (TorchParameter p : params.named().values()) {
                assertThat(p.parameter().getArray().toFloatArray()).as(p.name()).containsOnly(0.25f);
            }
        }
    }
}
