package io.dlstation.train.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dlstation.engine.OutOfDeviceMemoryException;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.models.nn.Linear;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Data parallelism with two replicas on the CPU engine (two "devices" that happen to be the same
 * one): the sharding, the all-reduce, the shared skip decision, the replica check and failures run as
 * they do on two GPUs, each replica on its own thread.
 */
class DataParallelStepTest {
    private static final int GLOBAL_BATCH = 8;

    private NDManager manager;
    private final List<NDManager> replicaManagers = new ArrayList<>();

    @BeforeEach
    void engine() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void free() {
        replicaManagers.forEach(NDManager::close);
        manager.close();
    }

    /** Two linear layers with a ReLU between: no batch statistics, so the shards add up exactly. */
    static final class Mlp extends TorchModule {
        private final Linear first = module("0", new Linear(12, 16));
        private final Linear second = module("2", new Linear(16, 4));

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(second.apply(Activation.relu(first.apply(inputs.head(), training)), training));
        }
    }

    private TrainingStep replica(Precision precision, String optimizer, float clip,
            BiFunction<NDList, NDArray, NDArray> loss, LossScaler shared) {
        NDManager own = NDManager.newBaseManager(Device.cpu());
        replicaManagers.add(own);
        Mlp model = new Mlp();
        ModelParameters parameters = ModelParameters.allocate(model, own, precision);
        FlatOptimizer opt = optimizer.equals("sgd") ? FlatOptimizer.sgd(0.1f, 0.9f, 1e-4f)
                : FlatOptimizer.adamw(0.01f, 0.9f, 0.999f, 1e-8f, 0.01f);
        return new TrainingStep(model, parameters, loss, opt, shared).clipGradientNorm(clip);
    }

    private DataParallelStep twoReplicas(TrainingStep first, BiFunction<NDList, NDArray, NDArray> secondLoss,
            Precision precision, String optimizer, float clip) {
        return DataParallelStep.replicate(first, List.of(Device.cpu()),
                (device, scaler) -> replica(precision, optimizer, clip, secondLoss, scaler), 1);
    }

    private NDArray inputs(int step, DataType type) {
        Engine.getEngine("PyTorch").setRandomSeed(100 + step);
        return manager.randomNormal(new Shape(GLOBAL_BATCH, 12)).toType(type, false);
    }

    private NDArray labels(int step) {
        long[] y = new long[GLOBAL_BATCH];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i + step) % 4;
        }
        return manager.create(y);
    }

    private static Map<String, float[]> values(ModelParameters parameters, NDManager into) {
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters.stateDict(into).forEach((name, array) -> out.put(name, array.toFloatArray()));
        return out;
    }

    @ParameterizedTest
    @CsvSource({"FP32, sgd, 0", "FP32, adamw, 0.5", "FP16_MIXED, sgd, 0", "FP16_MIXED, adamw, 1"})
    void twoReplicasFollowOneDeviceWithTheSameGlobalBatch(Precision precision, String optimizer, float clip) {
        Engine.getEngine("PyTorch").setRandomSeed(7);
        TrainingStep single = replica(precision, optimizer, clip, Losses::crossEntropy, null);
        TrainingStep first = replica(precision, optimizer, clip, Losses::crossEntropy, null);
        first.parameters().copyFrom(single.parameters());
        DataType type = precision == Precision.FP32 ? DataType.FLOAT32 : DataType.FLOAT16;
        List<Float> singleLosses = new ArrayList<>();
        List<Float> parallelLosses = new ArrayList<>();
        try (DataParallelStep parallel = twoReplicas(first, Losses::crossEntropy, precision, optimizer, clip)) {
            for (int step = 0; step < 6; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = inputs(step, type);
                    NDArray y = labels(step);
                    x.attach(scope);
                    y.attach(scope);
                    // two micro-batches per update, to cover accumulation as well
                    for (int micro = 0; micro < 2; micro++) {
                        singleLosses.add(single.accumulate(new NDList(x), y, 2).getFloat());
                        parallelLosses.add(parallel.accumulate(new NDList(x), y, 2).getFloat());
                    }
                    TrainingStep.Update a = single.update(scope);
                    TrainingStep.Update b = parallel.update(scope);
                    assertThat(b.applied()).isEqualTo(a.applied());
                    if (clip > 0) {
                        assertThat(b.gradientNorm()).isCloseTo(a.gradientNorm(), Offset.offset(1e-3 * a.gradientNorm()));
                    }
                }
            }
            // the replicas are bit-identical: the check after every step (checkEvery 1) never threw
            assertThat(parallel.skippedSteps()).isEqualTo(single.skippedSteps());
            float tolerance = precision == Precision.FP32 ? 1e-5f : 2e-3f;
            for (int i = 0; i < singleLosses.size(); i++) {
                assertThat(parallelLosses.get(i)).as("loss %d", i)
                        .isCloseTo(singleLosses.get(i), Offset.offset(tolerance * 10));
            }
            try (NDManager scratch = manager.newSubManager()) {
                Map<String, float[]> expected = values(single.parameters(), scratch);
                Map<String, float[]> actual = values(parallel.first().parameters(), scratch);
                for (String name : expected.keySet()) {
                    float[] e = expected.get(name);
                    float[] g = actual.get(name);
                    for (int i = 0; i < e.length; i++) {
                        assertThat(g[i]).as("%s[%d]", name, i).isCloseTo(e[i], Offset.offset(tolerance));
                    }
                }
            }
            assertThat(singleLosses.get(singleLosses.size() - 1)).isLessThan(singleLosses.get(0));
        }
    }

    @Test
    void aReplicaThatFailsSkipsTheStepOnEveryReplica() {
        AtomicBoolean fail = new AtomicBoolean();
        BiFunction<NDList, NDArray, NDArray> failing = (out, y) -> {
            if (fail.get()) {
                throw new IllegalStateException("the forward pass broke");
            }
            return Losses.crossEntropy(out, y);
        };
        TrainingStep first = replica(Precision.FP32, "sgd", 0, Losses::crossEntropy, null);
        try (DataParallelStep parallel = twoReplicas(first, failing, Precision.FP32, "sgd", 0);
                NDManager scope = manager.newSubManager()) {
            parallel.accumulate(new NDList(inputs(0, DataType.FLOAT32)), labels(0), 1);
            parallel.update(scope);
            Map<String, float[]> before = values(first.parameters(), scope);

            fail.set(true);
            assertThatThrownBy(() -> parallel.accumulate(new NDList(inputs(1, DataType.FLOAT32)), labels(1), 1))
                    .isInstanceOf(DlstationException.class)
                    .hasMessageContaining("skipped on every device")
                    .hasMessageContaining("the forward pass broke");

            // nothing was applied and no gradient was left behind: the next step starts clean
            fail.set(false);
            assertThat(values(first.parameters(), scope)).allSatisfy((name, v) ->
                    assertThat(v).containsExactly(before.get(name)));
            parallel.accumulate(new NDList(inputs(2, DataType.FLOAT32)), labels(2), 1);
            assertThat(parallel.update(scope).applied()).isTrue();
            parallel.checkReplicas();
        }
    }

    @Test
    void anOutOfMemoryOnOneReplicaNamesItAndTheSkippedStep() {
        BiFunction<NDList, NDArray, NDArray> oom = (out, y) -> {
            throw new RuntimeException("CUDA out of memory. Tried to allocate 2.00 GiB");
        };
        TrainingStep first = replica(Precision.FP32, "sgd", 0, Losses::crossEntropy, null);
        try (DataParallelStep parallel = twoReplicas(first, oom, Precision.FP32, "sgd", 0)) {
            assertThatThrownBy(() -> parallel.accumulate(new NDList(inputs(0, DataType.FLOAT32)), labels(0), 1))
                    .isInstanceOf(OutOfDeviceMemoryException.class)
                    .hasMessageContaining("out of memory on cpu()")
                    .hasMessageContaining("4 samples")
                    .hasMessageContaining("skipped on every device");
        }
    }

    @Test
    void aDriftedReplicaStopsTheRun() {
        TrainingStep first = replica(Precision.FP32, "sgd", 0, Losses::crossEntropy, null);
        List<TrainingStep> made = new ArrayList<>();
        try (DataParallelStep parallel = DataParallelStep.replicate(first, List.of(Device.cpu()), (device, scaler) -> {
            TrainingStep r = replica(Precision.FP32, "sgd", 0, Losses::crossEntropy, scaler);
            made.add(r);
            return r;
        }, 0)) {
            parallel.checkReplicas(); // identical after replicate
            try (NDManager scratch = manager.newSubManager()) {
                NDArray bias = first.parameters().stateDict(scratch).get("2.bias");
                made.get(0).parameters().setValues(Map.of("2.bias", bias.add(scratch.create(new float[] {0, 0, 0, 0.25f}))));
            }
            assertThatThrownBy(parallel::checkReplicas).isInstanceOf(DlstationException.class)
                    .hasMessageContaining("drifted").hasMessageContaining("largest difference 0.250");
        }
    }

    @Test
    void aBatchThatDoesNotSplitEvenlyIsRefused() {
        TrainingStep first = replica(Precision.FP32, "sgd", 0, Losses::crossEntropy, null);
        try (DataParallelStep parallel = twoReplicas(first, Losses::crossEntropy, Precision.FP32, "sgd", 0)) {
            NDArray x = manager.randomNormal(new Shape(7, 12));
            NDArray y = manager.zeros(new Shape(7), DataType.INT64);
            assertThatThrownBy(() -> parallel.accumulate(new NDList(x), y, 1)).isInstanceOf(DlstationException.class)
                    .hasMessageContaining("7 samples does not split evenly over 2 devices");
        }
    }

    @Test
    void theAllReduceSumsOnTheFirstAndSendsTheSumToEveryOther() {
        try (NDManager a = manager.newSubManager(); NDManager b = manager.newSubManager();
                NDManager c = manager.newSubManager()) {
            List<TrainingStep.Gradients> parts = List.of(
                    new TrainingStep.Gradients(a.create(new float[] {1, 2, 3}), a.create(new float[] {1})),
                    new TrainingStep.Gradients(b.create(new float[] {10, 20, 30}), b.create(new float[] {2})),
                    new TrainingStep.Gradients(c.create(new float[] {100, 200, 300}), c.create(new float[] {3})));

            List<TrainingStep.Gradients> reduced = GradientAllReduce.allReduce(parts, List.of(a, b, c));

            for (TrainingStep.Gradients g : reduced) {
                assertThat(g.weights().toFloatArray()).containsExactly(111, 222, 333);
                assertThat(g.norms().toFloatArray()).containsExactly(6);
            }
            // copies, not the same array: an optimiser may change its gradient in place
            reduced.get(1).weights().muli(0);
            assertThat(reduced.get(2).weights().toFloatArray()).containsExactly(111, 222, 333);
            assertThat(reduced.get(1).weights().getManager()).isSameAs(b);
        }
    }
}
