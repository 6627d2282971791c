package io.dlstation.train.step;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dlstation.engine.Precision;
import io.dlstation.models.nn.Linear;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradient accumulation, clipping and loss-scaled steps on a deterministic model (no batch statistics,
 * no dropout), against what one large batch or a hand computation gives.
 */
class GradientAccumulationTest {

    /** Two linear layers with a ReLU between: deterministic, no batch statistics. */
    static final class Mlp extends TorchModule {
        private final Linear first;
        private final Linear second;

        Mlp(int in, int hidden, int out) {
            first = module("first", new Linear(in, hidden));
            second = module("second", new Linear(hidden, out));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(second.apply(Activation.relu(first.apply(inputs.singletonOrThrow(), training)), training));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void kMicroBatchesGiveTheGradientOfOneBatchKTimesLarger(int k) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = manager.randomNormal(new Shape(32, 10));
            NDArray y = manager.randomInteger(0, 5, new Shape(32), DataType.INT64);

            float[] whole = gradients(manager, x, y, 1);
            float[] accumulated = gradients(manager, x, y, k);

            assertThat(accumulated).hasSameSizeAs(whole);
            float maxAbs = 0;
            for (float g : whole) {
                maxAbs = Math.max(maxAbs, Math.abs(g));
            }
            assertThat(maxAbs).isGreaterThan(1e-3f); // the comparison means something
            for (int i = 0; i < whole.length; i++) {
                assertThat(accumulated[i]).as("gradient %d", i).isCloseTo(whole[i], org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }

    /** The flat gradient after splitting (x, y) into {@code k} micro-batches, from the same initial weights. */
    private static float[] gradients(NDManager manager, NDArray x, NDArray y, int k) {
        Engine.getEngine("PyTorch").setRandomSeed(11);
        Mlp model = new Mlp(10, 16, 5);
        try (NDManager run = manager.newSubManager()) {
            ModelParameters params = ModelParameters.allocate(model, run, Precision.FP32);
            TrainingStep step = new TrainingStep(model, params, Losses::crossEntropy, FlatOptimizer.sgd(0.1f, 0, 0));
            long size = x.getShape().get(0) / k;
            for (int i = 0; i < k; i++) {
                NDIndex rows = new NDIndex(i * size + ":" + (i + 1) * size);
                step.accumulate(new NDList(x.get(rows)), y.get(rows), k);
            }
            return params.gradientsOfWeights(run).toFloatArray();
        }
    }

    @Test
    void gradientsStartFromNoneAfterEveryUpdate() {
        Engine.getEngine("PyTorch").setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Mlp model = new Mlp(4, 8, 3);
            ModelParameters params = ModelParameters.allocate(model, manager, Precision.FP32);
            TrainingStep step = new TrainingStep(model, params, Losses::crossEntropy, FlatOptimizer.sgd(0.1f, 0, 0));
            NDArray x = manager.randomNormal(new Shape(6, 4));
            NDArray y = manager.create(new long[] {0, 1, 2, 0, 1, 2});
            step.accumulate(new NDList(x), y, 1);
            float[] first = params.gradientsOfWeights(manager).toFloatArray();
            step.update(manager);
            // the same batch again from the same weights would double the gradient if DJL's were kept
            NDList snapshot = params.snapshot(manager);
            step.accumulate(new NDList(x), y, 1);
            float[] second = params.gradientsOfWeights(manager).toFloatArray();
            params.restore(snapshot);
            step.accumulate(new NDList(x), y, 1);
            float[] third = params.gradientsOfWeights(manager).toFloatArray();
            assertThat(third).containsExactly(second, org.assertj.core.data.Offset.offset(1e-7f));
            assertThat(second).isNotEqualTo(first); // the weights moved between the two
        }
    }

    @Test
    void clippingScalesTheUpdateToTheMaximumNorm() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = manager.randomNormal(new Shape(8, 4)).mul(50);
            NDArray y = manager.create(new long[] {0, 1, 2, 0, 1, 2, 0, 1});
            float maxNorm = 0.01f;
            Engine.getEngine("PyTorch").setRandomSeed(9);
            Mlp model = new Mlp(4, 8, 3);
            ModelParameters params = ModelParameters.allocate(model, manager, Precision.FP32);
            TrainingStep step = new TrainingStep(model, params, Losses::crossEntropy, FlatOptimizer.sgd(1f, 0, 0))
                    .clipGradientNorm(maxNorm);
            float[] before = params.masterWeights().toFloatArray();
            step.accumulate(new NDList(x), y, 1);
            float[] gradient = params.gradientsOfWeights(manager).toFloatArray();
            TrainingStep.Update update = step.update(manager);
            float[] after = params.masterWeights().toFloatArray();

            double norm = 0;
            for (float g : gradient) {
                norm += (double) g * g;
            }
            norm = Math.sqrt(norm);
            assertThat(update.applied()).isTrue();
            assertThat(update.gradientNorm()).isCloseTo(norm, org.assertj.core.data.Offset.offset(norm * 1e-4));
            assertThat(norm).isGreaterThan(maxNorm * 10); // clipping really happened
            double moved = 0;
            for (int i = 0; i < before.length; i++) {
                moved += Math.pow(before[i] - after[i], 2);
            }
            // lr 1: the step is the clipped gradient, whose norm is the maximum
            assertThat(Math.sqrt(moved)).isCloseTo(maxNorm, org.assertj.core.data.Offset.offset(maxNorm * 1e-3));
        }
    }

    @Test
    void aStepWithAnInfiniteGradientIsSkippedAndTheScaleBacksOff() {
        Engine.getEngine("PyTorch").setRandomSeed(2);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Mlp model = new Mlp(4, 8, 3);
            ModelParameters params = ModelParameters.allocate(model, manager, Precision.FP16_MIXED);
            TrainingStep step = new TrainingStep(model, params, Losses::crossEntropy, FlatOptimizer.sgd(0.1f, 0.9f, 0));
            NDArray y = manager.create(new long[] {0, 1});
            NDArray finite = manager.randomNormal(new Shape(2, 4)).toType(DataType.FLOAT16, false);
            NDArray overflowing = manager.create(new float[] {1, 2, 3, Float.POSITIVE_INFINITY, 1, 1, 1, 1},
                    new Shape(2, 4)).toType(DataType.FLOAT16, false);
            float[] before = params.masterWeights().toFloatArray();

            step.accumulate(new NDList(overflowing), y, 1);
            TrainingStep.Update skipped = step.update(manager);
            assertThat(skipped.applied()).isFalse();
            assertThat(params.masterWeights().toFloatArray()).containsExactly(before);
            assertThat(step.scaler().scale()).isEqualTo(32768f);
            assertThat(step.skippedSteps()).isEqualTo(1);

            step.accumulate(new NDList(finite), y, 1);
            assertThat(step.update(manager).applied()).isTrue();
            assertThat(params.masterWeights().toFloatArray()).isNotEqualTo(before);
            assertThat(step.scaler().state()).isEqualTo(new LossScaler.State(32768f, 1));
        }
    }
}
