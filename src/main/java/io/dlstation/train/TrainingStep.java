package io.dlstation.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.dlstation.engine.Precision;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One training step without DJL's Trainer: forward, loss, backward and, when an optimiser is given,
 * one update of the flat parameter buffers.
 *
 * <p>Under {@link Precision#FP16_MIXED} the forward and backward run on the float16 compute weights;
 * the loss is multiplied by the {@link LossScaler}'s scale before backward; the gradients are
 * gathered into one float32 buffer, checked for inf/NaN in one reduction (a step with any is skipped
 * and the scale backs off), unscaled inside the optimiser's fused update of the float32 master
 * weights, and the master is copied back into the float16 weights in one kernel. BatchNorm
 * parameters and statistics stay float32 throughout.
 *
 * <p>Gradients are released after every step, like {@code zero_grad(set_to_none=True)} (DJL's
 * collector keeps accumulating otherwise). Not thread-safe.
 */
public final class TrainingStep {
    /** The loss of a step, and whether the optimiser applied it (false when skipped or absent). */
    public record Outcome(NDArray loss, boolean applied) {}

    private final TorchModule model;
    private final ModelParameters parameters;
    private final BiFunction<NDList, NDArray, NDArray> lossFunction;
    private final FlatOptimizer optimizer;
    private final LossScaler scaler;
    private long skipped;

    /**
     * @param lossFunction (model outputs, labels) to a scalar loss in float32
     * @param optimizer null to run forward and backward only
     */
    public TrainingStep(TorchModule model, ModelParameters parameters, BiFunction<NDList, NDArray, NDArray> lossFunction,
            FlatOptimizer optimizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.lossFunction = Objects.requireNonNull(lossFunction, "lossFunction");
        this.optimizer = optimizer;
        if (parameters.precision() == Precision.FP16) {
            throw new IllegalArgumentException("pure fp16 parameters are for inference; train with fp16-mixed");
        }
        this.scaler = parameters.precision() == Precision.FP16_MIXED ? new LossScaler() : null;
    }

    /** The loss scaler under mixed precision, else null. */
    public LossScaler scaler() {
        return scaler;
    }

    /** Steps skipped because their gradients held inf or NaN. */
    public long skippedSteps() {
        return skipped;
    }

    /**
     * Runs one step on {@code inputs}; every temporary array lives in {@code step}, which the caller
     * closes. The returned loss stays on the device: reading it waits for the step to finish.
     */
    public Outcome run(NDList inputs, NDArray labels, NDManager step) {
        NDArray loss;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDList outputs = model.call(inputs, true);
            loss = lossFunction.apply(outputs, labels);
            collector.backward(scaler == null ? loss : loss.mul(scaler.scale()));
        }
        boolean applied = optimizer != null && update(step);
        if (optimizer == null) {
            parameters.releaseGradients();
        }
        return new Outcome(loss, applied);
    }

    private boolean update(NDManager step) {
        NDArray weightGrads = parameters.gradientsOfWeights(step);
        NDArray normGrads = parameters.gradientsOfNorms(step);
        // The flat copies hold the gradients now. Releasing them here, before the inf/NaN check waits
        // for the device, does the host's part while the backward pass is still running.
        parameters.releaseGradients();
        float rescale = 1f;
        if (scaler != null) {
            rescale = 1f / scaler.scale();
            // One reduction and one read: a single inf or NaN anywhere makes the total non-finite.
            float total = weightGrads.sum().add(normGrads.sum()).getFloat();
            boolean nonFinite = !Float.isFinite(total);
            scaler.update(nonFinite);
            if (nonFinite) {
                skipped++;
                return false;
            }
        }
        optimizer.update("weights", parameters.masterWeights(), weightGrads, rescale);
        optimizer.update("norms", parameters.normValues(), normGrads, rescale);
        parameters.syncComputeFromMaster();
        return true;
    }
}
