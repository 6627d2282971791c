package io.dlstation.models.nn;

/** How a parameter is stored and trained; decides its data type under mixed precision. */
public enum ParameterRole {
    /** Trained weights and biases: float16 for compute under mixed precision, float32 master copy. */
    WEIGHT,
    /** BatchNorm's affine weight and bias: kept in float32 alongside the float32 statistics. */
    NORM,
    /** Not trained (BatchNorm running statistics): float32, no gradient. */
    BUFFER
}
