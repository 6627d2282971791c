package io.dlstation.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.dlstation.engine.OomRecognizer;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import io.dlstation.train.step.DataParallelStep;
import io.dlstation.train.step.FlatOptimizer;
import io.dlstation.train.step.LossScaler;
import io.dlstation.train.step.Losses;
import io.dlstation.train.step.StepRunner;
import io.dlstation.train.step.TrainingStep;
import java.util.ArrayList;
import java.util.List;

/**
 * The step a run drives: the single device's own, or a {@link DataParallelStep} over replicas made
 * for every further device (each with its own manager, closed with this).
 */
final class Replicas implements AutoCloseable {
    private final List<NDManager> managers;
    private final DataParallelStep parallel;
    private final StepRunner runner;

    private Replicas(List<NDManager> managers, DataParallelStep parallel, StepRunner runner) {
        this.managers = managers;
        this.parallel = parallel;
        this.runner = runner;
    }

    /**
     * @param first the step of the first device, already restored from a checkpoint if the run resumes:
     *     every other replica starts as its copy
     */
    static Replicas open(Trainer.Placement placement, TrainingStep first, TrainSettings settings, int classes) {
        List<Device> devices = placement.devices();
        if (devices.size() == 1) {
            return new Replicas(List.of(), null, first);
        }
        List<NDManager> managers = new ArrayList<>();
        try {
            DataParallelStep parallel = DataParallelStep.replicate(first, devices.subList(1, devices.size()),
                    (device, scaler) -> {
                        NDManager manager = NDManager.newBaseManager(device);
                        managers.add(manager);
                        return newStep(settings, classes, device, manager, scaler);
                    }, placement.replicaCheckEvery());
            return new Replicas(managers, parallel, parallel);
        } catch (RuntimeException e) {
            managers.forEach(NDManager::close);
            throw e;
        }
    }

    /**
     * A model of {@code settings} for {@code device}, its parameters on {@code manager}, and the step
     * that trains it: the run's optimiser and clipping, and {@code sharedScaler} (null: its own).
     */
    static TrainingStep newStep(TrainSettings settings, int classes, Device device, NDManager manager,
            LossScaler sharedScaler) {
        TorchModule model = settings.model().build(classes, device.isGpu());
        ModelParameters parameters = OomRecognizer.guard(device.toString(), "allocating the parameters of "
                + settings.model(), () -> ModelParameters.allocate(model, manager, settings.precision()));
        return new TrainingStep(model, parameters, Losses::crossEntropy, optimizer(settings), sharedScaler)
                .clipGradientNorm(settings.clipGradNorm());
    }

    private static FlatOptimizer optimizer(TrainSettings s) {
        return switch (s.optimizer()) {
            case SGD -> FlatOptimizer.sgd(s.lr(), s.momentum(), s.weightDecay());
            case ADAMW -> FlatOptimizer.adamw(s.lr(), 0.9f, 0.999f, 1e-8f, s.weightDecay());
        };
    }

    /** The data-parallel step, or null on one device. */
    DataParallelStep parallel() {
        return parallel;
    }

    StepRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        if (parallel != null) {
            parallel.close();
        }
        managers.forEach(NDManager::close);
    }
}
