/**
 * Switches of libtorch that DJL's JNI does not bind, reached through the C++ functions libtorch
 * exports, with JNA.
 *
 * <p>Design: PyTorch keeps its process-wide backend switches in {@code at::Context} (what
 * {@code torch.backends.mkldnn.enabled} or {@code torch.backends.nnpack.set_flags} change in Python).
 * The getters and setters are ordinary exported symbols of {@code libtorch_cpu.so}; this package calls
 * them by their Itanium-mangled names on the library DJL has already loaded, so it works with the
 * bundled CPU build, DJL's CUDA download and a local PyTorch alike. Each binding is looked up once;
 * a libtorch without the symbol gives a clear {@link LibTorchSymbolMissingException} rather than a
 * crash. Nothing here loads libtorch itself: the engine must have started first.
 *
 * <p>{@link CpuKernels} is the door: it decides, once per process, which CPU kernel libraries
 * (oneDNN, NNPACK) are safe on this processor and sets them.
 */
package io.dlstation.engine.libtorch;
