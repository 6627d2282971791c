/**
 * DJL's PyTorch engine brought up on the CPU or a GPU: which libtorch to load (bundled CPU build,
 * DJL's CUDA download or a local PyTorch install), device choice, recognition of out-of-memory
 * failures, the bfloat16 guard, memory profiling around a block of work, and NDManager scopes
 * ({@link io.dlstation.engine.Scopes}: a step's intermediates close with the step's manager), which
 * training, benchmarks and serving share. {@code engine.libtorch}
 * holds the libtorch switches DJL does not bind, and the choice of CPU kernels safe on this processor.
 */
package io.dlstation.engine;
