package io.dlstation.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.dlstation.engine.DataTypeGuard;
import io.dlstation.engine.Precision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage of a model's parameters: each role lives in one flat buffer and every parameter is a
 * view into it, so the optimiser, the loss-scaling check and the fp32-to-fp16 copy each run as one
 * kernel over the whole model instead of one per tensor.
 *
 * <ul>
 *   <li>{@link ParameterRole#WEIGHT}: a float32 master buffer; the parameters are views of a float16
 *       copy under {@link Precision#FP16_MIXED}, of a float16-only buffer under {@link Precision#FP16}
 *       (inference), of the master itself under {@link Precision#FP32}.
 *   <li>{@link ParameterRole#NORM}: float32 always (BatchNorm's affine parameters).
 *   <li>{@link ParameterRole#BUFFER}: float32, no gradient (BatchNorm's statistics).
 * </ul>
 *
 * A model that {@linkplain TorchModule#prefersChannelsLast prefers channels-last} gets its 4-D weights
 * stored (O, H, W, I) and bound as logical (O, I, H, W) views with channels-last strides; the
 * optimiser and the copies do not care, and gradients come back in the same layout.
 *
 * <p>Owns every array it creates, through the manager it was given.
 */
public final class ModelParameters {
    private final Precision precision;
    private final Map<String, TorchParameter> named;
    private final List<TorchParameter> weights = new ArrayList<>();
    private final List<TorchParameter> norms = new ArrayList<>();
    private final List<TorchParameter> buffers = new ArrayList<>();
    private final NDArray masterWeights;
    private final NDArray computeWeights;
    private final NDArray normValues;
    private final NDArray bufferValues;
    private final boolean channelsLast;

    private ModelParameters(TorchModule model, NDManager manager, Precision precision) {
        this.precision = precision;
        this.channelsLast = model.prefersChannelsLast();
        this.named = model.namedParameters();
        for (TorchParameter p : named.values()) {
            switch (p.role()) {
                case WEIGHT -> weights.add(p);
                case NORM -> norms.add(p);
                case BUFFER -> buffers.add(p);
            }
        }
        NDArray master = initialValues(weights, manager, channelsLast);
        if (precision == Precision.FP32) {
            masterWeights = master;
            computeWeights = master;
        } else {
            NDArray half = master.toType(DataTypeGuard.requireSupported(DataType.FLOAT16), true);
            computeWeights = half;
            if (precision == Precision.FP16) {
                master.close();
                masterWeights = null;
            } else {
                masterWeights = master;
            }
        }
        normValues = initialValues(norms, manager, false);
        bufferValues = initialValues(buffers, manager, false);
        bind(weights, computeWeights, precision != Precision.FP16, channelsLast);
        bind(norms, normValues, precision != Precision.FP16, false);
        bind(buffers, bufferValues, false, false);
    }

    /**
     * Allocates and initialises every parameter of {@code model} on {@code manager}'s device. Random
     * initialisation follows the engine's seed ({@code Engine.setRandomSeed}).
     */
    public static ModelParameters allocate(TorchModule model, NDManager manager, Precision precision) {
        return new ModelParameters(model, manager, precision);
    }

    public Precision precision() {
        return precision;
    }

    /** Parameters by PyTorch name. */
    public Map<String, TorchParameter> named() {
        return named;
    }

    /** The float32 master copy of all {@link ParameterRole#WEIGHT} values (null under pure FP16). */
    public NDArray masterWeights() {
        return masterWeights;
    }

    /** The flat float32 buffer of all {@link ParameterRole#NORM} values (may be empty). */
    public NDArray normValues() {
        return normValues;
    }

    /** The weights' gradients in one new flat float32 array (a copy), on {@code into}. */
    public NDArray gradientsOfWeights(NDManager into) {
        return flatGradients(weights, into, channelsLast);
    }

    /** Norm parameters' gradients in one flat float32 array. */
    public NDArray gradientsOfNorms(NDManager into) {
        return flatGradients(norms, into, false);
    }

    /** After the optimiser changed the master copy: copies it into the float16 compute weights. */
    public void syncComputeFromMaster() {
        if (computeWeights != masterWeights && masterWeights != null) {
            computeWeights.set(new NDIndex(":"), masterWeights);
        }
    }

    /**
     * Drops every trainable parameter's gradient, like PyTorch's {@code zero_grad(set_to_none=True)}:
     * DJL accumulates into existing gradients and has no call to unset them, so each parameter's array
     * is re-pointed at a fresh view of the same storage, which has none. The next backward pass then
     * hands its gradients over instead of adding them to zeroed buffers (no memset, no extra add).
     */
    public void releaseGradients() {
        if (precision == Precision.FP16) {
            return;
        }
        rebind(weights, computeWeights, channelsLast);
        rebind(norms, normValues, false);
    }

    /** Sets every trainable parameter's gradient to zero, keeping the buffers. */
    public void zeroGradients() {
        for (TorchParameter p : weights) {
            JniUtils.zeroGrad((PtNDArray) p.parameter().getArray());
        }
        for (TorchParameter p : norms) {
            JniUtils.zeroGrad((PtNDArray) p.parameter().getArray());
        }
    }

    private static void rebind(List<TorchParameter> params, NDArray flat, boolean channelsLast) {
        long offset = 0;
        for (TorchParameter p : params) {
            long size = p.shape().size();
            NDArray fresh = view(flat, offset, p.shape(), channelsLast);
            fresh.setRequiresGradient(true);
            p.parameter().getArray().intern(fresh);
            offset += size;
        }
    }

    private static NDArray view(NDArray flat, long offset, Shape s, boolean channelsLast) {
        NDArray slice = flat.get(new NDIndex(offset + ":" + (offset + s.size())));
        // a channels-last weight: stored (O, H, W, I), seen as a logical (O, I, H, W) view
        return channelsLast && s.dimension() == 4
                ? slice.reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2)
                : slice.reshape(s);
    }

    /**
     * Every parameter and buffer as a PyTorch state dict: name to a new contiguous float32 array in
     * the logical shape, on {@code into}. Weights come from the float32 master copy.
     */
    public Map<String, NDArray> stateDict(NDManager into) {
        Map<String, NDArray> state = new LinkedHashMap<>();
        exportTo(state, weights, weightValues(), channelsLast, into);
        exportTo(state, norms, normValues, false, into);
        exportTo(state, buffers, bufferValues, false, into);
        return state;
    }

    private static void exportTo(Map<String, NDArray> state, List<TorchParameter> params, NDArray flat,
            boolean channelsLast, NDManager into) {
        long offset = 0;
        for (TorchParameter p : params) {
            long size = p.shape().size();
            NDArray value = view(flat, offset, p.shape(), channelsLast);
            // reshape(-1) copies a non-contiguous view into logical order; then the logical shape
            NDArray copy = value.toType(DataType.FLOAT32, false).reshape(-1).reshape(p.shape()).duplicate();
            copy.attach(into);
            copy.setName(p.name());
            state.put(p.name(), copy);
            offset += size;
        }
    }

    /**
     * A copy of every value (master weights, norms, statistics) to put back later with {@link
     * #restore}, e.g. around trial steps that must leave no trace.
     */
    public NDList snapshot(NDManager into) {
        NDList copies = new NDList();
        for (NDArray flat : new NDArray[] {weightValues(), normValues, bufferValues}) {
            NDArray copy = flat.duplicate();
            copy.attach(into);
            copies.add(copy);
        }
        return copies;
    }

    /**
     * Puts back the values of a {@link #snapshot} (copied across devices when it lives on another) and
     * drops any gradients.
     */
    public void restore(NDList snapshot) {
        copyInto(weightValues(), snapshot.get(0));
        copyInto(normValues, snapshot.get(1));
        copyInto(bufferValues, snapshot.get(2));
        syncComputeFromMaster();
        releaseGradients();
    }

    /**
     * Makes every value (weights, norms, statistics) equal to {@code source}'s, another replica of the
     * same model (on this device or another), and drops any gradients.
     */
    public void copyFrom(ModelParameters source) {
        if (!source.named.keySet().equals(named.keySet()) || source.precision != precision) {
            throw new IllegalArgumentException("not a replica of the same model and precision");
        }
        restore(new NDList(source.weightValues(), source.normValues, source.bufferValues));
    }

    /**
     * The largest absolute difference between this replica's trainable values (float32 master weights
     * and norms) and {@code other}'s: 0 for replicas that never drifted. Reads the device.
     */
    public float maxDifference(ModelParameters other) {
        float max = 0;
        for (NDArray[] pair : new NDArray[][] {{weightValues(), other.weightValues()}, {normValues, other.normValues}}) {
            if (pair[0].size() == 0) {
                continue;
            }
            try (NDManager scratch = pair[0].getManager().newSubManager()) {
                // every array below derives from this view, so the scratch manager frees them all
                NDArray mine = pair[0].reshape(-1);
                mine.attach(scratch);
                NDArray theirs = pair[1].toDevice(pair[0].getDevice(), true);
                theirs.attach(scratch);
                max = Math.max(max, mine.sub(theirs).abs().max().getFloat());
            }
        }
        return max;
    }

    /** The float32 master weights, or the float16 ones under pure FP16: what is saved and restored. */
    private NDArray weightValues() {
        return masterWeights != null ? masterWeights : computeWeights;
    }

    private static void copyInto(NDArray target, NDArray source) {
        if (target.size() == 0) {
            return;
        }
        NDArray moved = source.toDevice(target.getDevice(), false);
        target.set(new NDIndex(":"), moved);
        if (moved != source) {
            moved.close();
        }
    }

    /** Number of trainable values. */
    public long trainableCount() {
        return count(weights) + count(norms);
    }

    /** The trainable parameters in flat-buffer order: weights, then norms. */
    public List<TorchParameter> trainable() {
        List<TorchParameter> all = new ArrayList<>(weights);
        all.addAll(norms);
        return Collections.unmodifiableList(all);
    }

    /**
     * Overwrites the values of the named parameters (e.g. from a PyTorch state dict), in the master and
     * compute copies. Shapes must already have been checked.
     */
    public void setValues(Map<String, NDArray> values) {
        // Written into the flat buffers, never through the parameters' views: a view of a leaf that
        // requires a gradient refuses in-place writes on a thread where autograd is on.
        writeInto(weightValues(), weights, values, channelsLast);
        writeInto(normValues, norms, values, false);
        writeInto(bufferValues, buffers, values, false);
        syncComputeFromMaster();
    }

    private static void writeInto(NDArray flat, List<TorchParameter> params, Map<String, NDArray> values,
            boolean channelsLast) {
        long offset = 0;
        for (TorchParameter p : params) {
            long size = p.shape().size();
            NDArray value = values.get(p.name());
            if (value != null) {
                flat.set(new NDIndex(offset + ":" + (offset + size)),
                        storageOrder(value.toType(flat.getDataType(), false), channelsLast));
            }
            offset += size;
        }
    }

    /**
     * A parameter's values flattened in the order it is stored: channels-last 4-D weights as
     * (O, H, W, I), everything else as is.
     */
    private static NDArray storageOrder(NDArray logical, boolean channelsLast) {
        if (channelsLast && logical.getShape().dimension() == 4) {
            return logical.transpose(0, 2, 3, 1).reshape(-1);
        }
        return logical.reshape(-1);
    }

    private static NDArray initialValues(List<TorchParameter> params, NDManager manager, boolean channelsLast) {
        if (params.isEmpty()) {
            return manager.zeros(new Shape(0), DataType.FLOAT32);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDList parts = new NDList(params.size());
            for (TorchParameter p : params) {
                parts.add(storageOrder(p.init().create(scratch, p.shape()), channelsLast));
            }
            NDArray flat = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts);
            flat.attach(manager);
            return flat;
        }
    }

    private static void bind(List<TorchParameter> params, NDArray flat, boolean requiresGrad, boolean channelsLast) {
        long offset = 0;
        for (TorchParameter p : params) {
            long size = p.shape().size();
            NDArray view = view(flat, offset, p.shape(), channelsLast);
            if (requiresGrad) {
                view.setRequiresGradient(true);
            }
            p.parameter().setArray(view);
            offset += size;
        }
    }

    private static NDArray flatGradients(List<TorchParameter> params, NDManager into, boolean channelsLast) {
        if (params.isEmpty()) {
            return into.zeros(new Shape(0), DataType.FLOAT32);
        }
        NDList grads = new NDList(params.size());
        for (TorchParameter p : params) {
            NDArray g = p.parameter().getArray().getGradient();
            g.attach(into);
            grads.add(storageOrder(g, channelsLast));
        }
        // always a copy: callers zero the parameters' own gradients right after
        NDArray flat = grads.size() == 1 ? grads.head().duplicate() : NDArrays.concat(grads);
        return flat.getDataType() == DataType.FLOAT32 ? flat : flat.toType(DataType.FLOAT32, false);
    }

    private static long count(List<TorchParameter> params) {
        long n = 0;
        for (TorchParameter p : params) {
            n += p.shape().size();
        }
        return n;
    }
}
