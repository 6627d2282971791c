package io.dlstation.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
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
 * <p>Gradients are released after every step, like {@code zero_grad(set_to_none=True)} (PyTorch's
 * backward pass adds to existing gradients otherwise). Not thread-safe.
 */
public final class TrainingStep implements StepRunner {
    /** The loss of a step, and whether the optimiser applied it (false when skipped or absent). */
    public record Outcome(NDArray loss, boolean applied) {}

    /**
     * What an optimiser step did.
     *
     * @param applied false when the step was skipped (inf/NaN gradients) or there is no optimiser
     * @param gradientNorm the global L2 norm of the unscaled gradients before clipping; NaN when it was
     *     not computed (no clipping asked for)
     */
    public record Update(boolean applied, double gradientNorm) {}

    /** A step's gradients, gathered into one flat float32 array per role (weights, norms). */
    public record Gradients(NDArray weights, NDArray norms) {}

    /**
     * What to do with gathered gradients: apply them multiplied by {@code rescale}, or skip the step.
     *
     * @param gradientNorm as in {@link Update#gradientNorm()}
     */
    public record Decision(boolean apply, float rescale, double gradientNorm) {}

    private final TorchModule model;
    private final ModelParameters parameters;
    private final BiFunction<NDList, NDArray, NDArray> lossFunction;
    private final FlatOptimizer optimizer;
    private final LossScaler scaler;
    private float clipGradientNorm;
    private long skipped;

    /**
     * @param lossFunction (model outputs, labels) to a scalar loss in float32
     * @param optimizer null to run forward and backward only
     */
    public TrainingStep(TorchModule model, ModelParameters parameters, BiFunction<NDList, NDArray, NDArray> lossFunction,
            FlatOptimizer optimizer) {
        this(model, parameters, lossFunction, optimizer, null);
    }

    /**
     * A step that scales its loss by {@code sharedScaler} (one scaler for several replicas of a
     * model, so that all of them use the same scale and make the same skip decision); null makes its
     * own scaler under mixed precision.
     */
    public TrainingStep(TorchModule model, ModelParameters parameters, BiFunction<NDList, NDArray, NDArray> lossFunction,
            FlatOptimizer optimizer, LossScaler sharedScaler) {
        this.model = Objects.requireNonNull(model, "model");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.lossFunction = Objects.requireNonNull(lossFunction, "lossFunction");
        this.optimizer = optimizer;
        if (parameters.precision() == Precision.FP16) {
            throw new IllegalArgumentException("pure fp16 parameters are for inference; train with fp16-mixed");
        }
        if (parameters.precision() != Precision.FP16_MIXED) {
            this.scaler = null;
        } else {
            this.scaler = sharedScaler != null ? sharedScaler : new LossScaler();
        }
    }

    /**
     * Clips the gradients to this global L2 norm before each update ({@code clip_grad_norm_}); 0 turns
     * clipping off. Clipping needs the norm on the host: one device read per update.
     */
    public TrainingStep clipGradientNorm(float maxNorm) {
        if (!(maxNorm >= 0) || Float.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("max gradient norm must be finite and >= 0: " + maxNorm);
        }
        this.clipGradientNorm = maxNorm;
        return this;
    }

    /** The model this step trains. */
    public TorchModule model() {
        return model;
    }

    /** The parameters this step updates. */
    public ModelParameters parameters() {
        return parameters;
    }

    @Override
    public void setLearningRate(float learningRate) {
        optimizer.setLearningRate(learningRate);
    }

    /** The loss scaler under mixed precision, else null. */
    @Override
    public LossScaler scaler() {
        return scaler;
    }

    /** The optimiser, or null. */
    @Override
    public FlatOptimizer optimizer() {
        return optimizer;
    }

    /** Steps skipped because their gradients held inf or NaN. */
    @Override
    public long skippedSteps() {
        return skipped;
    }

    /**
     * Runs one step on {@code inputs}; every temporary array lives in {@code step}, which the caller
     * closes. The returned loss stays on the device: reading it waits for the step to finish.
     */
    public Outcome run(NDList inputs, NDArray labels, NDManager step) {
        NDArray loss = accumulate(inputs, labels, 1);
        if (optimizer == null) {
            parameters.releaseGradients();
            return new Outcome(loss, false);
        }
        return new Outcome(loss, update(step).applied());
    }

    /**
     * Forward and backward of one micro-batch, adding its gradients to those already gathered since
     * the last {@link #update}: with {@code micro} micro-batches per update, each loss is divided by
     * {@code micro}, so the update sees the gradient of the mean loss over all of them, as one batch
     * {@code micro} times larger would give (for models without batch statistics).
     *
     * @return the micro-batch's loss (not divided), on the device
     */
    @Override
    public NDArray accumulate(NDList inputs, NDArray labels, int micro) {
        if (micro < 1) {
            throw new IllegalArgumentException("micro-batches per update < 1: " + micro);
        }
        // Not DJL's GradientCollector: it allows one collector in the whole process at a time, and data
        // parallel replicas run their backward passes at once, each on its own thread. Grad mode is per
        // thread in PyTorch, so it is switched on here, on the thread that runs the step.
        boolean wasOn = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDList outputs = model.call(inputs, true);
            NDArray loss = lossFunction.apply(outputs, labels);
            float factor = (scaler == null ? 1f : scaler.scale()) / micro;
            NDArray target = factor == 1f ? loss : loss.mul(factor);
            JniUtils.backward((PtNDArray) target, (PtNDArray) target.onesLike(), false, false);
            return loss;
        } finally {
            if (!wasOn) {
                JniUtils.setGradMode(false);
            }
        }
    }

    /**
     * Applies the gradients gathered since the last update (clipped, unscaled, skipped on inf/NaN)
     * and releases them, like {@code zero_grad(set_to_none=True)}: the backward pass adds to existing
     * gradients, so this is where the next step starts from none.
     */
    @Override
    public Update update(NDManager step) {
        if (optimizer == null) {
            throw new IllegalStateException("no optimiser: this step only runs forward and backward");
        }
        Gradients gradients = gather(step);
        Decision decision = decide(gradients, 1);
        if (decision.apply()) {
            apply(gradients, decision.rescale());
        }
        return new Update(decision.apply(), decision.gradientNorm());
    }

    /**
     * Copies the gradients gathered since the last update into flat float32 arrays on {@code step}
     * and releases the parameters' own.
     */
    public Gradients gather(NDManager step) {
        Gradients gradients = new Gradients(parameters.gradientsOfWeights(step), parameters.gradientsOfNorms(step));
        // The flat copies hold the gradients now. Releasing them here, before the checks wait for the
        // device, does the host's part while the backward pass is still running.
        parameters.releaseGradients();
        return gradients;
    }

    /**
     * Decides, in one reduction and one device read, whether {@code gradients} (the sum over {@code
     * replicas} equal shards of a batch; 1 for one device) are applied: a step with any inf or NaN is
     * skipped and the loss scale backs off; with clipping, the factor that brings the mean gradient's
     * global norm down to the limit. Without a scaler or clipping nothing is read.
     */
    public Decision decide(Gradients gradients, int replicas) {
        float unscale = (scaler == null ? 1f : 1f / scaler.scale()) / replicas;
        if (scaler == null && clipGradientNorm <= 0) {
            return new Decision(true, unscale, Double.NaN);
        }
        // One reduction and one read: a single inf or NaN anywhere makes the total non-finite.
        NDArray w = gradients.weights();
        NDArray n = gradients.norms();
        float total = clipGradientNorm > 0 ? w.square().sum().add(n.square().sum()).getFloat()
                : w.sum().add(n.sum()).getFloat();
        boolean nonFinite = !Float.isFinite(total);
        if (scaler != null) {
            scaler.update(nonFinite);
        }
        if (nonFinite) {
            skipped++;
            return new Decision(false, 0f, clipGradientNorm > 0 ? Double.POSITIVE_INFINITY : Double.NaN);
        }
        if (clipGradientNorm <= 0) {
            return new Decision(true, unscale, Double.NaN);
        }
        double norm = Math.sqrt(total) * unscale;
        double coefficient = clipGradientNorm / (norm + 1e-6);
        return new Decision(true, coefficient < 1 ? (float) (unscale * coefficient) : unscale, norm);
    }

    /** One optimiser update with {@code gradients} times {@code rescale}, then the fp16 copy of the weights. */
    public void apply(Gradients gradients, float rescale) {
        optimizer.update("weights", parameters.masterWeights(), gradients.weights(), rescale);
        optimizer.update("norms", parameters.normValues(), gradients.norms(), rescale);
        parameters.syncComputeFromMaster();
    }
}
