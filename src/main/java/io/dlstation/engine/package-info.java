/**
 * DJL's PyTorch engine brought up on the CPU or a GPU: which libtorch to load (bundled CPU build,
 * DJL's CUDA download or a local PyTorch install), device choice, recognition of out-of-memory
 * failures, the bfloat16 guard, and memory profiling around a block of work.
 */
package io.dlstation.engine;
