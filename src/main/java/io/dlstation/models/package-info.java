/**
 * Model definitions in DJL blocks.
 *
 * <p>The door: {@link io.dlstation.models.Architecture}, the names users type, each building its
 * model; {@link io.dlstation.models.ModelFolder} writes and reads a trained model's folder, with
 * {@link io.dlstation.models.ServingOptions} from its model.yaml. ResNet, Bert (with BertConfig) and
 * SmallCnn are public for the benchmarks and checks that build them directly; StateDicts and
 * Safetensors load PyTorch weights.
 */
package io.dlstation.models;
