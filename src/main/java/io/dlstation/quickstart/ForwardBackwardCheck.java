package io.dlstation.quickstart;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dlstation.engine.OomRecognizer;
import io.dlstation.engine.Precision;
import io.dlstation.engine.Scopes;
import io.dlstation.models.SmallCnn;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.time.Ticker;
import io.dlstation.train.step.FlatOptimizer;
import io.dlstation.train.step.Losses;
import io.dlstation.train.step.TrainingStep;
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
     * @param millisPerStep mean elapsed time of a step after the first (which includes warm-up)
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

    /** Runs the check, timed on the system's ticker. */
    public static Result run(Device device, int batchSize, int steps, long seed) {
        return run(device, batchSize, steps, seed, Ticker.system());
    }

    /**
     * Runs the check, its steps timed by {@code ticker}; an out-of-memory failure comes out as {@code
     * OutOfDeviceMemoryException}.
     */
    public static Result run(Device device, int batchSize, int steps, long seed, Ticker ticker) {
        if (batchSize < 1 || steps < 2) {
            throw new IllegalArgumentException("batchSize < 1 or steps < 2: " + batchSize + ", " + steps);
        }
        return OomRecognizer.guard(device.toString(), "the small CNN at batch " + batchSize,
                () -> train(device, batchSize, steps, seed, ticker));
    }

    private static Result train(Device device, int batchSize, int steps, long seed, Ticker ticker) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            manager.getEngine().setRandomSeed((int) seed);
            SmallCnn model = new SmallCnn(CLASSES, false);
            ModelParameters parameters = ModelParameters.allocate(model, manager, Precision.FP32);
            TrainingStep training = new TrainingStep(model, parameters, Losses::crossEntropy,
                    FlatOptimizer.sgd(0.05f, 0.9f, 0f));
            NDArray x = manager.randomNormal(new Shape(batchSize, 3, IMAGE, IMAGE));
            NDArray y = manager.randomInteger(0, CLASSES, new Shape(batchSize), DataType.INT64);
            List<Float> losses = new ArrayList<>();
            long afterFirst = 0;
            for (int i = 0; i < steps; i++) {
                if (i == 1) {
                    afterFirst = ticker.read();
                }
                try (NDManager step = manager.newSubManager()) {
                    NDList inputs = Scopes.views(new NDList(x), step);
                    // reading the loss back to the host also waits for the device
                    losses.add(training.run(inputs, Scopes.views(new NDList(y), step).head(), step).loss().getFloat());
                }
            }
            double ms = (ticker.read() - afterFirst) / 1e6 / (steps - 1);
            return new Result(device.toString(), batchSize, steps, parameters.trainableCount(), losses, ms);
        }
    }
}
