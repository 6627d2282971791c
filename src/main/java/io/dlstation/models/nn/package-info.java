/**
 * PyTorch-style layers on DJL: modules with PyTorch parameter names and shapes known at construction,
 * and the flat parameter storage that mixed precision and fused optimisers run on.
 */
package io.dlstation.models.nn;
