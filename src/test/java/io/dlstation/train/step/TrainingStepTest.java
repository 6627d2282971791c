package io.dlstation.train.step;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dlstation.engine.Precision;
import io.dlstation.models.ResNet;
import io.dlstation.models.nn.ModelParameters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingStepTest {

    @ParameterizedTest
    @CsvSource({"FP32, false", "FP16_MIXED, false", "FP32, true", "FP16_MIXED, true"})
    void aSmallResNetFitsAFixedBatch(Precision precision, boolean channelsLast) {
        Engine.getEngine("PyTorch").setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet model = new ResNet(ResNet.Depth.RESNET18, 4, 8, false, channelsLast);
            ModelParameters params = ModelParameters.allocate(model, manager, precision);
            TrainingStep step = new TrainingStep(model, params, Losses::crossEntropy, FlatOptimizer.sgd(0.05f, 0.9f, 0));
            DataType input = precision == Precision.FP32 ? DataType.FLOAT32 : DataType.FLOAT16;
            NDArray x = manager.randomNormal(new Shape(8, 3, 32, 32)).toType(input, false);
            NDArray y = manager.create(new long[] {0, 1, 2, 3, 0, 1, 2, 3});
            List<Float> losses = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                try (NDManager s = manager.newSubManager()) {
                    TrainingStep.Outcome outcome = step.run(new NDList(x), y, s);
                    losses.add(outcome.loss().getFloat());
                }
            }
            assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.5f);
        }
    }
}
