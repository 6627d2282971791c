package io.dlstation.serve;

import ai.djl.Device;
import io.dlstation.engine.OomRecognizer;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.models.ModelFolder;
import io.dlstation.models.ServingOptions;
import io.dlstation.serve.protocol.HostTensor;
import io.dlstation.serve.protocol.InputSpec;
import io.dlstation.serve.protocol.TensorType;
import io.dlstation.serve.wlm.BatchRunner;
import io.dlstation.serve.wlm.BatchingPolicy;
import io.dlstation.serve.wlm.BatchingQueue;
import io.dlstation.serve.wlm.Failures;
import io.dlstation.serve.wlm.ModelWorkers;
import io.dlstation.serve.wlm.WorkloadListener;
import io.dlstation.time.Scheduler;
import io.dlstation.time.Ticker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Loads a model onto each device, makes {@code instances} workers per device, warms them up and
 * starts them. A first batch of one on each device checks that the copy there runs and shows what the
 * outputs look like, which the metadata then reports. Then every worker, on its own thread, runs
 * {@code warmup_batches} batches of zeros at each size the batcher will form most (1, the preferred
 * sizes and the largest), and on GPUs (or as {@code warmup_every_size} says) one at every other size
 * too, so the first requests do not pay for the engine's first calls ({@link ModelWorkers} says why
 * on the worker's own thread).
 */
public final class ModelLoader {
    private final List<Device> devices;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final Function<String, WorkloadListener> listeners;

    /**
     * @param devices where each model is loaded (one copy per device)
     * @param listeners the metrics listener of a model, by name
     */
    public ModelLoader(List<Device> devices, Ticker ticker, Scheduler scheduler,
            Function<String, WorkloadListener> listeners) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no devices");
        }
        this.devices = List.copyOf(devices);
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.listeners = listeners;
    }

    /** The devices models are loaded onto. */
    public List<Device> devices() {
        return devices;
    }

    /** Loads, warms up and starts the model of {@code spec}; on failure nothing is left loaded. */
    public ServedModel load(ModelSpec spec) {
        ServingOptions serving = spec.serving();
        List<LoadedModel> loaded = new ArrayList<>();
        try {
            List<ModelInstance> instances = new ArrayList<>();
            List<OutputSpec> outputs = null;
            for (Device device : devices) {
                LoadedModel model = LoadedModel.load(spec, device);
                loaded.add(model);
                ModelInstance first = new ModelInstance(spec, model);
                List<OutputSpec> described = describe(spec, warmUpBatch(spec, first, 1));
                outputs = outputs == null ? described : outputs;
                instances.add(first);
                for (int i = 1; i < serving.instances(); i++) {
                    instances.add(new ModelInstance(spec, model));
                }
            }
            WorkloadListener listener = listeners.apply(spec.name());
            BatchingPolicy policy = new BatchingPolicy(serving.maxBatchSize(),
                    Duration.ofNanos(Math.round(serving.maxBatchDelayMs() * 1e6)), serving.preferredBatchSizes(),
                    serving.queueSize(), Duration.ofMillis(serving.timeoutMs()));
            BatchingQueue<InferInput, InferOutput> queue = new BatchingQueue<>(spec.name(), policy, ticker, scheduler,
                    listener);
            ModelWorkers<InferInput, InferOutput> workers = new ModelWorkers<>(spec.name(), queue, instances,
                    Thread.ofPlatform().name("dlstation-serve-" + spec.name() + "-", 0).daemon(true).factory(),
                    answerThreads(spec.name()), OomRecognizer::isOutOfMemory, ticker, listener);
            List<Integer> sizes = warmUpSizes(serving, devices.get(0).isGpu());
            workers.start(runner -> warmUp(spec, runner, sizes));
            return new ServedModel(spec, outputs, queue, workers, loaded);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loaded.forEach(LoadedModel::close);
            throw new DlstationException(ErrorCode.UNAVAILABLE, "model '" + spec.name() + "' was stopped while it "
                    + "warmed up", e);
        } catch (RuntimeException | Error e) {
            loaded.forEach(LoadedModel::close);
            throw e instanceof DlstationException d ? d : new DlstationException(ErrorCode.INTERNAL,
                    "model '" + spec.name() + "' failed to load: " + Failures.summary(e.getMessage()), e);
        }
    }

    /** A virtual thread per answer of a batch (each may go on to encode and write an HTTP answer). */
    private static Executor answerThreads(String model) {
        ThreadFactory factory = Thread.ofVirtual().name("dlstation-serve-" + model + "-answer-", 0).factory();
        return task -> factory.newThread(task).start();
    }

    private static void warmUp(ModelSpec spec, BatchRunner<InferInput, InferOutput> runner, List<Integer> sizes) {
        for (int size : sizes) {
            warmUpBatch(spec, runner, size);
        }
    }

    /**
     * The batch sizes each worker's warm-up runs, in order: {@code warmup_batches} passes at 1, each
     * preferred size and the largest (none when it is 0), then when it warms every size (by default on
     * GPUs) one at each other size.
     */
    static List<Integer> warmUpSizes(ServingOptions serving, boolean onGpu) {
        if (serving.warmupBatches() == 0) {
            return List.of();
        }
        TreeSet<Integer> main = new TreeSet<>(serving.preferredBatchSizes());
        main.add(1);
        main.add(serving.maxBatchSize());
        List<Integer> sizes = new ArrayList<>();
        for (int size : main) {
            for (int i = 0; i < serving.warmupBatches(); i++) {
                sizes.add(size);
            }
        }
        if (serving.warmsEverySize(onGpu)) {
            for (int size = 1; size <= serving.maxBatchSize(); size++) {
                if (!main.contains(size)) {
                    sizes.add(size);
                }
            }
        }
        return sizes;
    }

    private static InferOutput warmUpBatch(ModelSpec spec, BatchRunner<InferInput, InferOutput> runner, int size) {
        try {
            return runner.run(List.of(zeros(spec, size))).get(0);
        } catch (Exception e) {
            throw Failures.of(spec.name(), e, size, OomRecognizer::isOutOfMemory);
        }
    }

    private static InferInput zeros(ModelSpec spec, int samples) {
        List<HostTensor> tensors = new ArrayList<>();
        for (InputSpec in : spec.inputs()) {
            long[] shape = new long[in.shape().length + 1];
            shape[0] = samples;
            System.arraycopy(in.shape(), 0, shape, 1, in.shape().length);
            long bytes = HostTensor.elementCount(shape) * in.type().bytes();
            tensors.add(new HostTensor(in.name(), in.type(), shape, ByteBuffer.allocate(Math.toIntExact(bytes))));
        }
        return new InferInput(tensors, samples);
    }

    /** The outputs a warm-up batch produced, checked against what model.yaml says of them. */
    private static List<OutputSpec> describe(ModelSpec spec, InferOutput out) {
        List<OutputSpec> outputs = new ArrayList<>();
        List<ModelFolder.Output> declared = spec.description().outputs();
        if (declared != null && declared.size() > out.tensors().size()) {
            throw DlstationException.badInput("model '" + spec.name() + "': model.yaml names " + declared.size()
                    + " outputs but the model returns " + out.tensors().size());
        }
        for (int i = 0; i < out.tensors().size(); i++) {
            HostTensor t = out.tensors().get(i);
            long[] sample = Arrays.copyOfRange(t.shape(), 1, t.shape().length);
            OutputSpec o = new OutputSpec(t.name(), t.type(), sample);
            ModelFolder.Output d = declared != null && i < declared.size() ? declared.get(i) : null;
            if (d != null && d.datatype() != null && TensorType.parse(d.datatype(), "outputs[" + i + "].datatype") != t.type()) {
                throw DlstationException.badInput("model '" + spec.name() + "': output '" + t.name() + "' is "
                        + t.type() + " but model.yaml says " + d.datatype());
            }
            if (d != null && d.shape() != null
                    && !Arrays.equals(d.shape().stream().mapToLong(Long::longValue).toArray(), sample)) {
                throw DlstationException.badInput("model '" + spec.name() + "': output '" + t.name() + "' has shape "
                        + Arrays.toString(sample) + " per sample but model.yaml says " + d.shape());
            }
            outputs.add(o);
        }
        if (!spec.labels().isEmpty() && !outputs.isEmpty()) {
            long[] first = outputs.get(0).shape();
            long classes = first.length == 0 ? 1 : first[first.length - 1];
            if (classes != spec.labels().size()) {
                throw DlstationException.badInput("model '" + spec.name() + "' has " + spec.labels().size()
                        + " labels but its output '" + outputs.get(0).name() + "' has " + classes + " classes");
            }
        }
        return outputs;
    }
}
