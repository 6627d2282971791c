package io.dlstation.train.step;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.dlstation.engine.OomRecognizer;
import io.dlstation.engine.OutOfDeviceMemoryException;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Data-parallel training over several devices in one process: a replica of the model per device, each
 * with its own worker thread (PyTorch's grad mode is per thread), its own shard of every batch and its
 * own gradients; the gradients are all-reduced every step and every replica then makes the same
 * optimiser update, so the replicas never drift.
 *
 * <p>Design:
 * <ul>
 *   <li><b>Sharding.</b> A micro-batch of B samples is cut into equal shards of B / N along the batch
 *       dimension; shard i is copied to device i (peer-to-peer where the GPUs allow), then worker i runs
 *       forward and backward on its replica. The loss reported is the mean of the shards'.
 *   <li><b>All-reduce.</b> {@link GradientAllReduce}: each replica's gradients are gathered into one
 *       flat float32 buffer per role (one bucket per role, so one copy per link and direction), summed
 *       on the first device and the sum copied back to the others. DJL exposes neither backward hooks
 *       nor CUDA streams, so the exchange cannot overlap the backward pass; flat buffers keep it to a
 *       few large copies.
 *   <li><b>One decision.</b> The inf/NaN check of mixed precision and the clipping norm are computed
 *       once, on the summed gradients, and one {@link LossScaler} is shared: every replica skips or
 *       applies the same step with the same factor (1 / N for the mean, times 1 / scale, times the
 *       clipping coefficient).
 *   <li><b>Identical updates.</b> Every replica's optimiser applies the same summed gradient to
 *       identical values, so the float32 master weights stay bit-identical; {@code checkEvery} compares
 *       them across replicas every that many steps and stops the run if they ever differ.
 *   <li><b>BatchNorm.</b> Statistics are per replica, computed on the replica's shard (as PyTorch DDP
 *       without SyncBatchNorm); checkpoints, validation and the export use the first replica's, as DDP
 *       with its default buffer broadcast does.
 *   <li><b>Failures.</b> When any replica fails a micro-batch (an out-of-memory on one GPU, say), the
 *       gradients of every replica are dropped, no replica is updated, and the error names the device:
 *       the step is skipped everywhere, never applied on some replicas only.
 * </ul>
 *
 * Not thread-safe: one training loop drives it.
 */
public final class DataParallelStep implements StepRunner, AutoCloseable {
    private final List<TrainingStep> replicas;
    private final List<Device> devices;
    private final List<ExecutorService> workers = new ArrayList<>();
    private final LossScaler scaler;
    private final int checkEvery;
    private final List<NDManager> stepScopes = new ArrayList<>();
    private long updates;

    /**
     * @param replicas one step per device, each over its own model and parameters, all sharing one
     *     loss scaler under mixed precision ({@link #replicate}); the first is the one checkpoints,
     *     validation and the export use
     * @param checkEvery compare the replicas' weights every this many updates (0: never)
     */
    DataParallelStep(List<TrainingStep> replicas, int checkEvery) {
        if (replicas.size() < 2) {
            throw new IllegalArgumentException("data parallelism needs at least two replicas");
        }
        if (checkEvery < 0) {
            throw new IllegalArgumentException("replica check interval < 0: " + checkEvery);
        }
        this.replicas = List.copyOf(replicas);
        this.scaler = replicas.get(0).scaler();
        for (TrainingStep r : replicas) {
            if (r.optimizer() == null || r.scaler() != scaler) {
                throw new IllegalArgumentException("replicas need an optimiser each and one shared loss scaler");
            }
        }
        this.devices = replicas.stream().map(r -> r.parameters().normValues().getDevice()).toList();
        this.checkEvery = checkEvery;
        for (int i = 0; i < replicas.size(); i++) {
            String name = "train-replica-" + i + "-" + devices.get(i);
            workers.add(Executors.newSingleThreadExecutor(Thread.ofPlatform().name(name).daemon(true).factory()));
        }
    }

    /** Builds the training step of one more replica, sharing the first replica's loss scaler. */
    public interface ReplicaFactory {
        TrainingStep create(Device device, LossScaler sharedScaler);
    }

    /**
     * Makes a replica per device with {@code factory}, copies the first replica's values and optimiser
     * state into every other one (so they start identical whatever their random initialisation), and
     * returns the step that drives them.
     */
    public static DataParallelStep replicate(TrainingStep first, List<Device> otherDevices, ReplicaFactory factory,
            int checkEvery) {
        List<TrainingStep> all = new ArrayList<>();
        all.add(first);
        for (Device device : otherDevices) {
            all.add(factory.create(device, first.scaler()));
        }
        DataParallelStep step = new DataParallelStep(all, checkEvery);
        step.broadcastFromFirst();
        return step;
    }

    /** Drops whatever the replicas gathered since the last update (after a failed or abandoned step). */
    public void releaseGradients() {
        dropStep();
    }

    /** The devices, in replica order. */
    public List<Device> devices() {
        return devices;
    }

    /** The replica that checkpoints, validation and the export use. */
    public TrainingStep first() {
        return replicas.get(0);
    }

    /**
     * After the first replica was changed on its own (a checkpoint restored into it, trial steps
     * undone): copies its values and optimiser state into every other replica.
     */
    public void broadcastFromFirst() {
        TrainingStep first = first();
        FlatOptimizer.State state = first.optimizer().state();
        for (TrainingStep replica : replicas.subList(1, replicas.size())) {
            replica.parameters().copyFrom(first.parameters());
            replica.optimizer().restore(state, replica.parameters().normValues());
            replica.optimizer().setLearningRate(first.optimizer().learningRate());
        }
    }

    @Override
    public NDArray accumulate(NDList inputs, NDArray labels, int micro) {
        int n = replicas.size();
        long batch = labels.getShape().get(0);
        if (batch % n != 0) {
            throw DlstationException.badInput("a batch of " + batch + " samples does not split evenly over " + n
                    + " devices; use a batch size divisible by " + n);
        }
        long per = batch / n;
        openScopes();
        // Every shard is copied here, before any worker starts: a copy from the first device is queued
        // on that device's stream, so one issued after the first replica's forward pass had been queued
        // would wait for that pass, and the other devices would start late. Each micro-batch's arrays
        // (shards, activations) live in a scope of their own that the worker closes as soon as the
        // backward pass is queued: the memory returns to PyTorch's cache in stream order, and closing
        // thousands of arrays costs the host time while the device is still busy, not after.
        List<NDManager> microScopes = new ArrayList<>(n);
        List<NDList> shards = new ArrayList<>(n);
        List<NDArray> shardLabels = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                NDManager scope = stepScopes.get(i).newSubManager();
                microScopes.add(scope);
                NDIndex rows = new NDIndex(i * per + ":" + (i + 1) * per);
                NDList shard = new NDList(inputs.size());
                for (NDArray x : inputs) {
                    shard.add(onto(x == null ? null : x.get(rows), scope));
                }
                shards.add(shard);
                shardLabels.add(onto(labels.get(rows), scope));
            }
        } catch (RuntimeException e) {
            microScopes.forEach(NDManager::close);
            throw e;
        }
        String what = "a training step with " + per + " samples (the step was skipped on every device; "
                + "no replica was updated)";
        List<NDArray> shardLosses = onEveryReplica(i -> {
            try (NDManager scope = microScopes.get(i)) {
                NDArray loss = OomRecognizer.guard(devices.get(i).toString(), what,
                        () -> replicas.get(i).accumulate(shards.get(i), shardLabels.get(i), micro).stopGradient());
                loss.attach(stepScopes.get(i)); // kept past the scope: the caller reads it later
                return loss;
            }
        });
        NDArray mean = GradientAllReduce.sumIntoFirst(shardLosses).divi(n);
        mean.attach(inputs.head().getManager());
        return mean;
    }

    /**
     * Runs {@code task} for every replica at once, each on its replica's worker, and waits for all of
     * them (see {@link #collect}).
     */
    private <T> List<T> onEveryReplica(IntFunction<T> task) {
        List<Future<T>> futures = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            int index = i;
            futures.add(workers.get(i).submit(() -> task.apply(index)));
        }
        return collect(futures);
    }

    /** Waits for every worker; when any failed, drops the step on every replica and names the failure. */
    private <T> List<T> collect(List<Future<T>> futures) {
        List<T> results = new ArrayList<>(futures.size());
        RuntimeException failure = null;
        int failed = -1;
        for (int i = 0; i < futures.size(); i++) {
            try {
                results.add(futures.get(i).get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    failed = i;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new DlstationException(ErrorCode.INTERNAL, "interrupted while the replicas ran a step");
            }
        }
        if (failure == null) {
            return results;
        }
        dropStep();
        if (failure instanceof OutOfDeviceMemoryException) {
            throw failure; // names the device, and that the step was skipped everywhere
        }
        String where = failed >= 0 ? devices.get(failed).toString() : "a replica";
        throw new DlstationException(ErrorCode.INTERNAL, where + " failed a training step, which was skipped on "
                + "every device (no replica was updated): " + failure.getMessage(), failure);
    }

    @Override
    public TrainingStep.Update update(NDManager step) {
        int n = replicas.size();
        List<TrainingStep.Gradients> gathered = onEveryReplica(i -> replicas.get(i).gather(stepScopes.get(i)));
        List<TrainingStep.Gradients> reduced = GradientAllReduce.allReduce(gathered, stepScopes);
        TrainingStep.Decision decision = first().decide(reduced.get(0), n);
        // Each replica's update is queued by its own worker, in parallel, which then frees the step's
        // arrays; the workers take the next step's work in order after it.
        List<NDManager> scopes = List.copyOf(stepScopes);
        stepScopes.clear();
        onEveryReplica(i -> {
            try (NDManager scope = scopes.get(i)) {
                if (decision.apply()) {
                    replicas.get(i).apply(reduced.get(i), decision.rescale());
                }
                return null;
            }
        });
        updates++;
        if (checkEvery > 0 && updates % checkEvery == 0) {
            checkReplicas();
        }
        return new TrainingStep.Update(decision.apply(), decision.gradientNorm());
    }

    /**
     * Compares every replica's trainable values with the first's and fails the run when any differ: a
     * divergence is a defect, never something to train on.
     */
    public void checkReplicas() {
        for (int i = 1; i < replicas.size(); i++) {
            float difference = replicas.get(i).parameters().maxDifference(first().parameters());
            if (difference != 0f) {
                throw new DlstationException(ErrorCode.INTERNAL, String.format(Locale.ROOT,
                        "the replica on %s drifted from the one on %s after %d steps (largest difference %g); "
                                + "the run stops rather than train diverged copies", devices.get(i), devices.get(0),
                        updates, difference));
            }
        }
    }

    @Override
    public void setLearningRate(float learningRate) {
        for (TrainingStep r : replicas) {
            r.setLearningRate(learningRate);
        }
    }

    @Override
    public FlatOptimizer optimizer() {
        return first().optimizer();
    }

    @Override
    public LossScaler scaler() {
        return scaler;
    }

    @Override
    public long skippedSteps() {
        return first().skippedSteps();
    }

    @Override
    public void close() {
        releaseGradients();
        workers.forEach(ExecutorService::shutdownNow);
    }

    private static NDArray onto(NDArray x, NDManager scope) {
        if (x == null) {
            return null;
        }
        NDArray moved = x.toDevice(scope.getDevice(), false);
        if (moved == x) {
            moved = x.reshape(x.getShape()); // a view owned by the scope, so the step's arrays close with it
        } else {
            x.close();
        }
        moved.attach(scope);
        return moved;
    }

    private void openScopes() {
        if (stepScopes.isEmpty()) {
            for (TrainingStep r : replicas) {
                stepScopes.add(r.parameters().normValues().getManager().newSubManager());
            }
        }
    }

    /** Drops the gradients gathered since the last update on every replica, and the step's arrays. */
    private void dropStep() {
        for (TrainingStep r : replicas) {
            r.parameters().releaseGradients();
        }
        closeScopes();
    }

    private void closeScopes() {
        stepScopes.forEach(NDManager::close);
        stepScopes.clear();
    }
}
