package io.dlstation.quickstart;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.dlstation.engine.OomRecognizer;
import io.dlstation.models.SmallCnn;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves a device can train: a small CNN fits one fixed batch of random 32x32 images to random labels
 * with SGD. The loss must fall if forward, backward and the optimizer step all work on the device.
 */
public final class ForwardBackwardCheck {
    private static final int CLASSES = 10;
    private static final int IMAGE = 32;

    private ForwardBackwardCheck() {}

    /**
     * The losses and timing of {@code steps} training steps.
     *
     * @param losses the loss after each step's forward pass, first to last
     * @param millisPerStep mean wall time of a step after the first (which includes warm-up)
     */
    public record Result(String device, int batchSize, int steps, long parameters, List<Float> losses,
            double millisPerStep) {

        public float firstLoss() {
            return losses.get(0);
        }

        public float lastLoss() {
            return losses.get(losses.size() - 1);
        }

        /** Whether training made progress: the last loss is below the first. */
        public boolean lossFell() {
            return lastLoss() < firstLoss();
        }
    }

    /** Runs the check; an out-of-memory failure comes out as {@code OutOfDeviceMemoryException}. */
    public static Result run(Device device, int batchSize, int steps, long seed) {
        if (batchSize < 1 || steps < 2) {
            throw new IllegalArgumentException("batchSize < 1 or steps < 2: " + batchSize + ", " + steps);
        }
        return OomRecognizer.guard(device.toString(), "the small CNN at batch " + batchSize,
                () -> train(device, batchSize, steps, seed));
    }

    private static Result train(Device device, int batchSize, int steps, long seed) {
        Shape input = new Shape(batchSize, 3, IMAGE, IMAGE);
        try (Model model = Model.newInstance("small-cnn", device)) {
            model.setBlock(SmallCnn.build(CLASSES));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f).build())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(input);
                NDManager manager = trainer.getManager();
                manager.getEngine().setRandomSeed((int) seed);
                long parameters = model.getBlock().getParameters().values().stream()
                        .mapToLong(p -> p.getArray().getShape().size()).sum();
                try (NDManager data = manager.newSubManager()) {
                    NDArray x = data.randomNormal(input);
                    NDArray y = data.randomInteger(0, CLASSES, new Shape(batchSize), DataType.INT64);
                    List<Float> losses = new ArrayList<>();
                    long afterFirst = 0;
                    for (int i = 0; i < steps; i++) {
                        if (i == 1) {
                            afterFirst = System.nanoTime();
                        }
                        losses.add(step(trainer, x, y));
                    }
                    double ms = (System.nanoTime() - afterFirst) / 1e6 / (steps - 1);
                    return new Result(device.toString(), batchSize, steps, parameters, losses, ms);
                }
            }
        }
    }

    private static float step(Trainer trainer, NDArray x, NDArray y) {
        try (NDManager step = trainer.getManager().newSubManager()) {
            // Ops attach their results to their input's manager: inputs owned by the step's manager
            // make every intermediate of this step close with it.
            NDArray input = x.duplicate();
            input.attach(step);
            NDArray labels = y.duplicate();
            labels.attach(step);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray prediction = trainer.forward(new NDList(input)).singletonOrThrow();
                NDArray value = trainer.getLoss().evaluate(new NDList(labels), new NDList(prediction));
                collector.backward(value);
                loss = value.getFloat(); // reads back to the host: also syncs the device
            }
            trainer.step();
            return loss;
        }
    }
}
