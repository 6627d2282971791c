package io.dlstation.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.dlstation.engine.CudaRuntime;
import io.dlstation.engine.DataTypeGuard;
import io.dlstation.engine.MemoryProbe;
import io.dlstation.engine.MemoryProfile;
import io.dlstation.engine.MemoryProfiler;
import io.dlstation.engine.OomRecognizer;
import io.dlstation.engine.OutOfDeviceMemoryException;
import io.dlstation.engine.Precision;
import io.dlstation.engine.Scopes;
import io.dlstation.error.DlstationException;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import io.dlstation.time.Ticker;
import io.dlstation.train.step.DataParallelStep;
import io.dlstation.train.step.FlatOptimizer;
import io.dlstation.train.step.TrainingStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntConsumer;

/**
 * Measures points for one model in one precision: the parameters are allocated once and reused by
 * every point; each point's data and intermediates live in its own NDManager and are freed (and the
 * CUDA cache emptied) when it ends, out of memory or not.
 *
 * <p>Training: warm-up steps, then {@code iterations} steps issued back to back and timed from a
 * device sync to a device sync; then a few probe steps measure how long the host takes to issue one
 * step. Inference: each batch is timed on its own (issue to result) for latency percentiles. Times
 * are read from the injected {@link Ticker}.
 */
final class PointRunner implements AutoCloseable {
    private static final int HOST_PROBES = 5;

    private final Workload workload;
    private final Precision precision;
    private final Device device;
    private final NDManager modelManager;
    private final TorchModule model;
    private final ModelParameters parameters;
    private final TrainingStep trainingStep;
    private final List<NDManager> replicaManagers = new ArrayList<>();
    private final DataParallelStep parallel;
    private final int devices;
    private final MemoryProbe memory;
    private final ScheduledExecutorService sampler;
    private final Ticker ticker;

    /**
     * @param devices where to run; several devices train data parallel (a replica per device, each
     *     point's batch size per device), the first holds the inputs
     * @param ticker times the steps and batches ({@link Ticker#system()})
     */
    PointRunner(Workload workload, Precision precision, List<Device> devices, boolean training, boolean withOptimizer,
            long seed, MemoryProbe memory, ScheduledExecutorService sampler, Ticker ticker) {
        if (devices.size() > 1 && (!training || !withOptimizer)) {
            throw DlstationException.badInput("--devices with several devices measures data-parallel training "
                    + "steps, which need the optimiser: use 'bench train --with-optimizer', or one device");
        }
        this.workload = workload;
        this.precision = precision;
        this.device = devices.get(0);
        this.devices = devices.size();
        this.memory = memory;
        this.sampler = sampler;
        this.ticker = ticker;
        this.modelManager = NDManager.newBaseManager(device);
        modelManager.getEngine().setRandomSeed((int) seed);
        this.model = workload.model();
        this.parameters = allocate(model, modelManager, device);
        this.trainingStep = training ? new TrainingStep(model, parameters, workload.loss(),
                withOptimizer ? optimizer() : null) : null;
        this.parallel = devices.size() > 1 ? replicate(devices.subList(1, devices.size())) : null;
    }

    private DataParallelStep replicate(List<Device> others) {
        try {
            return DataParallelStep.replicate(trainingStep, others, (d, scaler) -> {
                NDManager manager = NDManager.newBaseManager(d);
                replicaManagers.add(manager);
                TorchModule replica = workload.model();
                return new TrainingStep(replica, allocate(replica, manager, d), workload.loss(), optimizer(), scaler);
            }, 0);
        } catch (RuntimeException e) {
            replicaManagers.forEach(NDManager::close);
            modelManager.close();
            throw e;
        }
    }

    private ModelParameters allocate(TorchModule module, NDManager manager, Device on) {
        return OomRecognizer.guard(on.toString(), "allocating " + precision + " parameters",
                () -> ModelParameters.allocate(module, manager, precision));
    }

    /** The optimiser of measured training steps: SGD with momentum 0.9. */
    private static FlatOptimizer optimizer() {
        return FlatOptimizer.sgd(0.01f, 0.9f, 0f);
    }

    /** Measures one point; an out-of-memory failure becomes an OOM point. */
    BenchPoint measure(PointSpec spec, int warmup, int iterations, IntConsumer progress) {
        return run(spec, warmup, iterations, progress, true);
    }

    private BenchPoint run(PointSpec spec, int warmup, int iterations, IntConsumer progress, boolean probeHost) {
        try {
            return trainingStep != null
                    ? train(spec, warmup, iterations, progress, probeHost)
                    : infer(spec, warmup, iterations, progress);
        } catch (RuntimeException e) {
            OutOfDeviceMemoryException oom = OomRecognizer.translate(e, device.toString(), spec.describe());
            if (oom == null) {
                throw e;
            }
            return BenchPoint.outOfMemory(spec, oom.getMessage());
        } finally {
            if (trainingStep != null) {
                parameters.releaseGradients();
            }
            if (parallel != null) {
                parallel.releaseGradients();
            }
            CudaRuntime.release(device);
        }
    }

    /** Whether {@code spec} runs without running out of memory (two steps), for the max-batch search. */
    boolean fits(PointSpec spec) {
        BenchPoint point = run(spec, 1, 1, i -> {}, false);
        return !point.oom();
    }

    private BenchPoint train(PointSpec spec, int warmup, int iterations, IntConsumer progress, boolean probeHost) {
        try (NDManager point = modelManager.newSubManager()) {
            int global = spec.batchSize() * devices;
            NDList inputs = workload.inputs(point, global, spec.seqLength() == null ? 0 : spec.seqLength(),
                    computeType());
            NDArray labels = workload.labels(point, global);
            MemoryProfiler profiler = new MemoryProfiler(memory, sampler, Duration.ofMillis(10)).start();
            double stepMs;
            MemoryProfile profile;
            try {
                for (int i = 0; i < warmup; i++) {
                    step(point, inputs, labels, true);
                    progress.accept(1);
                }
                long start = ticker.read();
                for (int i = 0; i < iterations; i++) {
                    step(point, inputs, labels, i == iterations - 1);
                    progress.accept(1);
                }
                stepMs = (ticker.read() - start) / 1e6 / iterations;
            } finally {
                profile = profiler.stop();
            }
            Double hostMs = probeHost ? hostIssueMs(point, inputs, labels) : null;
            return new BenchPoint(spec.model().label(), "train", precision.label(), spec.batchSize(), devices,
                    spec.seqLength(), stepMs, global * 1000.0 / stepMs, profile.peakBytes(), profile.source(), known(profile.peakAllocatedBytes()),
                    known(profile.peakReservedBytes()), hostMs, null, null,
                    null, iterations, spec.withOptimizer(), false, null);
        }
    }

    /** One step in its own scope; {@code sync} waits for it to finish by reading its loss. */
    private void step(NDManager point, NDList inputs, NDArray labels, boolean sync) {
        try (NDManager step = point.newSubManager()) {
            NDArray loss = runStep(inputs, labels, step);
            if (sync) {
                loss.getFloat();
            }
        }
    }

    /** One training step on one device or data parallel; returns its loss, not waited for. */
    private NDArray runStep(NDList inputs, NDArray labels, NDManager step) {
        NDList views = Scopes.views(inputs, step);
        if (parallel == null) {
            return trainingStep.run(views, labels, step).loss();
        }
        NDArray loss = parallel.accumulate(views, labels, 1);
        parallel.update(step);
        return loss;
    }

    private double hostIssueMs(NDManager point, NDList inputs, NDArray labels) {
        double[] samples = new double[HOST_PROBES];
        for (int i = 0; i < HOST_PROBES; i++) {
            try (NDManager step = point.newSubManager()) {
                long t0 = ticker.read();
                NDArray loss = runStep(inputs, labels, step);
                samples[i] = (ticker.read() - t0) / 1e6;
                loss.getFloat();
            }
        }
        Arrays.sort(samples);
        return samples[HOST_PROBES / 2];
    }

    private BenchPoint infer(PointSpec spec, int warmup, int iterations, IntConsumer progress) {
        try (NDManager point = modelManager.newSubManager()) {
            NDList inputs = workload.inputs(point, spec.batchSize(), spec.seqLength() == null ? 0 : spec.seqLength(),
                    computeType());
            MemoryProfiler profiler = new MemoryProfiler(memory, sampler, Duration.ofMillis(10)).start();
            double[] latencies = new double[iterations];
            double hostTotal = 0;
            MemoryProfile profile;
            try {
                for (int i = 0; i < warmup; i++) {
                    forward(point, inputs);
                    progress.accept(1);
                }
                for (int i = 0; i < iterations; i++) {
                    long t0 = ticker.read();
                    hostTotal += forward(point, inputs) - t0;
                    latencies[i] = (ticker.read() - t0) / 1e6;
                    progress.accept(1);
                }
            } finally {
                profile = profiler.stop();
            }
            double mean = Arrays.stream(latencies).average().orElse(Double.NaN);
            Arrays.sort(latencies);
            return new BenchPoint(spec.model().label(), "infer", precision.label(), spec.batchSize(), 1,
                    spec.seqLength(),
                    mean, spec.batchSize() * 1000.0 / mean, profile.peakBytes(), profile.source(),
                    known(profile.peakAllocatedBytes()), known(profile.peakReservedBytes()),
                    hostTotal / 1e6 / iterations, percentile(latencies, 50), percentile(latencies, 90),
                    percentile(latencies, 99), iterations, false, false, null);
        }
    }

    /** One inference batch in its own scope, waited for; returns when the host had issued it (a ticker reading). */
    private long forward(NDManager point, NDList inputs) {
        try (NDManager batch = point.newSubManager()) {
            NDArray out = model.call(Scopes.views(inputs, batch), false).head();
            long issued = ticker.read();
            out.reshape(-1).get(0).getFloat();
            return issued;
        }
    }

    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private DataType computeType() {
        return precision == Precision.FP32 ? DataType.FLOAT32 : DataTypeGuard.requireSupported(DataType.FLOAT16);
    }

    /** Trainable values of the model. */
    long parameterCount() {
        return parameters.trainableCount();
    }

    @Override
    public void close() {
        if (parallel != null) {
            parallel.close();
            parallel.devices().forEach(CudaRuntime::release);
        }
        replicaManagers.forEach(NDManager::close);
        modelManager.close();
        CudaRuntime.release(device);
    }

    /** A byte count, or null where the profile could not read it (-1). */
    private static Long known(long bytes) {
        return bytes < 0 ? null : bytes;
    }
}
