package io.dlstation.train.step;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dlstation.engine.Precision;
import io.dlstation.models.ResNet;
import io.dlstation.models.nn.ModelParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CPU engine on the machine the tests run on: a full ResNet-50 forward and backward pass at batch 2,
 * the seed's benchmark model, gives a finite loss and finite gradients in both memory formats.
 *
 * <p>This runs every convolution shape of ResNet-50, forward and backward, through whichever CPU
 * kernels libtorch picks here; on processors whose kernels misjudge the machine (docs/ENGINE.md) it
 * is the test that dies or sees NaN first.
 */
class CpuEngineSelfCheckTest {

    @ParameterizedTest(name = "channels-last {0}")
    @ValueSource(booleans = {false, true})
    void resNet50ForwardAndBackwardAreFinite(boolean channelsLast) {
        Engine.getEngine("PyTorch").setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet model = new ResNet(ResNet.Depth.RESNET50, 10, 64, false, channelsLast);
            ModelParameters params = ModelParameters.allocate(model, manager, Precision.FP32);
            TrainingStep step = new TrainingStep(model, params, Losses::crossEntropy, null);
            NDArray x = manager.randomNormal(new Shape(2, 3, 224, 224));
            NDArray y = manager.create(new long[] {3, 7});
            try (NDManager s = manager.newSubManager()) {
                NDArray loss = step.accumulate(new NDList(x), y, 1);
                float value = loss.getFloat();
                assertThat(value).isFinite().isBetween(0f, 20f);
                NDArray gradients = params.gradientsOfWeights(s);
                assertThat(gradients.isNaN().any().getBoolean()).as("NaN in the weight gradients").isFalse();
                assertThat(gradients.isInfinite().any().getBoolean()).as("inf in the weight gradients").isFalse();
                assertThat(gradients.abs().sum().getFloat()).as("the backward pass reached the weights").isPositive();
            }
        }
    }
}
