/**
 * DJL's PyTorch engine brought up on the CPU or a GPU: which libtorch to load (bundled CPU build,
 * DJL's CUDA download or a local PyTorch install), device choice, recognition of out-of-memory
 * failures, the bfloat16 guard, memory profiling around a block of work, and NDManager scopes
 * ({@link io.dlstation.engine.Scopes}: a step's intermediates close with the step's manager), which
 * training, benchmarks and serving share. {@code engine.libtorch}
 * holds the libtorch switches DJL does not bind, and the choice of CPU kernels safe on this processor.
 *
 * <p>The door: {@link io.dlstation.engine.EngineBootstrap} starts the engine from {@link
 * io.dlstation.engine.EngineSettings} (deciding an {@link io.dlstation.engine.EnginePlan}, reporting
 * an {@link io.dlstation.engine.EngineReport}), and {@link io.dlstation.engine.DeviceSpec} and {@link
 * io.dlstation.engine.DeviceList} choose devices. The rest are tools the capabilities use while they
 * run work on it: {@link io.dlstation.engine.OomRecognizer} and {@link
 * io.dlstation.engine.OutOfDeviceMemoryException}, {@link io.dlstation.engine.Precision} and the
 * DataTypeGuard, MemoryProfiler (with MemoryProbe, MemoryProbes, MemoryProfile), Scopes, CudaRuntime,
 * CudaStreams, DeviceUpload and TorchScriptFunctions. SafePyTorchEngineProvider is public only for
 * DJL's ServiceLoader.
 */
package io.dlstation.engine;
