package io.dlstation.models.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * A parameter with the name PyTorch gives it in a state dict (e.g. {@code layer1.0.conv1.weight}),
 * its shape, role and initialisation.
 */
public record TorchParameter(String name, Parameter parameter, Shape shape, ParameterRole role, ParameterInit init) {

    /** Whether the optimiser trains it. */
    public boolean trainable() {
        return role != ParameterRole.BUFFER;
    }
}
