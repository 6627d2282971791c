package io.dlstation.serve;

import ai.djl.Device;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.protocol.HostTensor;
import io.dlstation.serve.protocol.InputSpec;
import io.dlstation.serve.wlm.BatchingQueue;
import io.dlstation.serve.wlm.ModelWorkers;
import io.dlstation.serve.wlm.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A model that is loaded and warmed up: its spec, what its outputs look like, its queue and workers,
 * and the models loaded on each device. It checks each request against its inputs before queuing it.
 * Unloading drains the queue, then closes every native resource.
 */
public final class ServedModel {
    private final ModelSpec spec;
    private final List<OutputSpec> outputs;
    private final BatchingQueue<InferInput, InferOutput> queue;
    private final ModelWorkers<InferInput, InferOutput> workers;
    private final List<LoadedModel> loaded;
    private final List<String> devices;
    private final List<Device> placement;
    private volatile boolean unloading;

    ServedModel(ModelSpec spec, List<OutputSpec> outputs, BatchingQueue<InferInput, InferOutput> queue,
            ModelWorkers<InferInput, InferOutput> workers, List<LoadedModel> loaded) {
        this.spec = spec;
        this.outputs = List.copyOf(outputs);
        this.queue = queue;
        this.workers = workers;
        this.loaded = List.copyOf(loaded);
        this.devices = loaded.stream().map(l -> l.device.toString()).toList();
        this.placement = loaded.stream().map(l -> l.device).toList();
    }

    public ModelSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** The outputs, as the warm-up produced them. */
    public List<OutputSpec> outputs() {
        return outputs;
    }

    /** The devices the model runs on. */
    public List<Device> placement() {
        return placement;
    }

    /** The devices the model runs on, e.g. {@code gpu(0)}. */
    public List<String> devices() {
        return devices;
    }

    /** Whether it runs on GPUs (not on the CPU). */
    public boolean onGpu() {
        return loaded.stream().anyMatch(l -> l.device.isGpu());
    }

    /** Whether it takes requests. */
    public boolean ready() {
        return !unloading;
    }

    /** Requests queued. */
    public int queueDepth() {
        return queue.depth();
    }

    /** Requests in batches being run. */
    public int inFlight() {
        return workers.inFlight();
    }

    /**
     * Checks a request's tensors against the model's inputs (names, types, shapes, one batch size) and
     * orders them as the model takes them.
     */
    public InferInput prepare(List<HostTensor> tensors) {
        List<InputSpec> inputs = spec.inputs();
        HostTensor[] ordered = new HostTensor[inputs.size()];
        long batch = -1;
        for (HostTensor t : tensors) {
            int index = indexOf(t.name());
            if (index < 0) {
                throw DlstationException.badInput("input '" + t.name() + "' is not an input of model '" + name()
                        + "'; it takes " + inputs.stream().map(InputSpec::toString).collect(Collectors.joining(", ")));
            }
            if (ordered[index] != null) {
                throw DlstationException.badInput("input '" + t.name() + "' is given twice");
            }
            InputSpec in = inputs.get(index);
            if (t.type() != in.type()) {
                throw DlstationException.badInput("input '" + t.name() + "' datatype " + t.type() + " does not match "
                        + "the model's " + in.type());
            }
            long[] sample = t.shape().length == 0 ? null : Arrays.copyOfRange(t.shape(), 1, t.shape().length);
            if (sample == null || !Arrays.equals(sample, in.shape()) || t.shape()[0] < 1) {
                throw DlstationException.badInput("input '" + t.name() + "' shape " + Arrays.toString(t.shape())
                        + " does not match the model's " + batchShape(in.shape()) + " (a batch of N samples of "
                        + Arrays.toString(in.shape()) + ")");
            }
            if (batch >= 0 && t.shape()[0] != batch) {
                throw DlstationException.badInput("input '" + t.name() + "' has " + t.shape()[0] + " samples but "
                        + "another input has " + batch + "; every input needs the same batch size");
            }
            batch = t.shape()[0];
            ordered[index] = t;
        }
        for (int i = 0; i < ordered.length; i++) {
            if (ordered[i] == null) {
                throw DlstationException.badInput("input '" + inputs.get(i).name() + "' is missing; model '" + name()
                        + "' takes " + inputs.stream().map(InputSpec::toString).collect(Collectors.joining(", ")));
            }
        }
        int maxBatch = spec.serving().maxBatchSize();
        if (batch > maxBatch) {
            throw DlstationException.badInput("the request has " + batch + " samples; model '" + name()
                    + "' takes at most " + maxBatch + " per request (its max_batch_size)");
        }
        return new InferInput(Arrays.asList(ordered), (int) batch);
    }

    /** Queues a prepared request; never blocks. */
    public CompletableFuture<InferOutput> submit(InferInput input, Priority priority, Duration timeout) {
        return queue.submit(input, input.samples(), priority, timeout);
    }

    /**
     * Stops taking requests, runs the queued ones for up to {@code drain}, fails what is left, waits for
     * running batches and frees the native memory.
     *
     * @return true if the queue emptied in time
     */
    public boolean unload(Duration drain, String reason) {
        unloading = true;
        boolean inTime;
        try {
            inTime = workers.drain(drain, reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.failQueued(new DlstationException(ErrorCode.UNAVAILABLE, reason));
            inTime = false;
        } finally {
            releaseDevices();
        }
        return inTime;
    }

    void releaseDevices() {
        for (LoadedModel model : loaded) {
            model.close();
            io.dlstation.engine.CudaRuntime.release(model.device);
        }
    }

    private int indexOf(String inputName) {
        for (int i = 0; i < spec.inputs().size(); i++) {
            if (spec.inputs().get(i).name().equals(inputName)) {
                return i;
            }
        }
        return -1;
    }

    /** The shape with the batch dimension as -1, as the protocol's metadata writes it. */
    static String batchShape(long[] sample) {
        List<String> dims = new ArrayList<>();
        dims.add("-1");
        Arrays.stream(sample).forEach(d -> dims.add(Long.toString(d)));
        return "[" + String.join(", ", dims) + "]";
    }
}
