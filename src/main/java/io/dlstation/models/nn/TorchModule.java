package io.dlstation.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block that names its parameters and children the way a PyTorch {@code nn.Module} does, so a
 * state dict saved by PyTorch maps onto it name for name.
 *
 * <p>Shapes are known at construction, as in PyTorch; parameters are allocated by {@link
 * ModelParameters}, not by DJL's {@code initialize}, so that they can live in flat buffers with
 * per-role data types (fp16 compute weights, fp32 normalisation and statistics).
 */
public abstract class TorchModule extends AbstractBlock {
    private final Map<String, TorchParameter> own = new LinkedHashMap<>();
    private final Map<String, TorchModule> modules = new LinkedHashMap<>();
    private Parameter[] flatParameters;

    /** Declares a parameter named as in PyTorch (e.g. "weight", "running_mean"). */
    protected final Parameter declare(String name, Shape shape, ParameterRole role, ParameterInit init) {
        Parameter.Type type = switch (role) {
            case BUFFER -> name.contains("var") ? Parameter.Type.RUNNING_VAR : Parameter.Type.RUNNING_MEAN;
            case NORM -> name.equals("weight") ? Parameter.Type.GAMMA : Parameter.Type.BETA;
            case WEIGHT -> name.equals("bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT;
        };
        Parameter parameter = Parameter.builder().setName(name).setType(type)
                .optRequiresGrad(role != ParameterRole.BUFFER).build();
        addParameter(parameter);
        own.put(name, new TorchParameter(name, parameter, shape, role, init));
        return parameter;
    }

    /** Adds a child module under its PyTorch attribute name (e.g. "layer1", "0", "attention"). */
    protected final <M extends TorchModule> M module(String name, M module) {
        addChildBlock(name, module);
        modules.put(name, module);
        return module;
    }

    /** Every parameter of this module and its children, with dotted PyTorch names, in definition order. */
    public final Map<String, TorchParameter> namedParameters() {
        Map<String, TorchParameter> all = new LinkedHashMap<>();
        collect("", all);
        return Collections.unmodifiableMap(all);
    }

    /**
     * The current arrays of every parameter and buffer of this module and its children, in {@link
     * #namedParameters()} order: what a {@link ScriptedFunction} of the whole module takes.
     */
    public final NDArray[] parameterArrays() {
        if (flatParameters == null) {
            flatParameters = namedParameters().values().stream().map(TorchParameter::parameter)
                    .toArray(Parameter[]::new);
        }
        NDArray[] arrays = new NDArray[flatParameters.length];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = flatParameters[i].getArray();
        }
        return arrays;
    }

    /** The child modules, by attribute name. */
    public final Map<String, TorchModule> modules() {
        return Collections.unmodifiableMap(modules);
    }

    /**
     * Whether 4-D weights (convolutions) should be stored channels-last (O, H, W, I in memory), so that
     * cuDNN's NHWC kernels read them without a conversion on every call.
     */
    public boolean prefersChannelsLast() {
        return false;
    }

    /** Total number of trainable values. */
    public final long parameterCount() {
        long n = 0;
        for (TorchParameter p : namedParameters().values()) {
            if (p.trainable()) {
                n += p.shape().size();
            }
        }
        return n;
    }

    private void collect(String prefix, Map<String, TorchParameter> into) {
        for (TorchParameter p : own.values()) {
            String name = prefix + p.name();
            into.put(name, new TorchParameter(name, p.parameter(), p.shape(), p.role(), p.init()));
        }
        for (Map.Entry<String, TorchModule> child : modules.entrySet()) {
            child.getValue().collect(prefix + child.getKey() + ".", into);
        }
    }

    /**
     * Runs this module on one input. Children are called through this rather than DJL's {@code
     * forward}, which re-checks every parameter of the subtree on each call; a module's parameters
     * live on one device (one replica per GPU), so no parameter store is needed.
     */
    public NDArray apply(NDArray x, boolean training) {
        return forwardInternal(null, new NDList(x), training, null).singletonOrThrow();
    }

    /** Runs this module on several inputs (see {@link #apply}); the way to run a whole model. */
    public NDList call(NDList inputs, boolean training) {
        return forwardInternal(null, inputs, training, null);
    }

    /** Output shapes are not needed by the product; modules compute them only where DJL asks. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " computes shapes on the fly; "
                + "run a forward pass to see them");
    }

    /** Parameters are allocated by {@link ModelParameters}, never by DJL's initializer. */
    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        throw new IllegalStateException("allocate parameters with ModelParameters before the first forward pass");
    }
}
