/**
 * PyTorch-style layers on DJL: modules with PyTorch parameter names and shapes known at construction,
 * and the flat parameter storage that mixed precision and fused optimisers run on.
 *
 * <p>The door: {@link io.dlstation.models.nn.TorchModule} and {@link
 * io.dlstation.models.nn.ModelParameters}; the layers (Linear, Conv2d, BatchNorm2d, LayerNorm,
 * Embedding, FusedAttention) with TorchParameter, ParameterRole and ParameterInit are what the models
 * of {@code models} are built of.
 */
package io.dlstation.models.nn;
