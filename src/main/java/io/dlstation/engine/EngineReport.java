package io.dlstation.engine;

import io.dlstation.engine.libtorch.CpuKernels;

/**
 * What the started engine says about itself.
 *
 * @param name "PyTorch"
 * @param version libtorch's version, e.g. "2.11.0"
 * @param flavor "cpu", "cu128", "cu130", ...
 * @param libtorchPath the folder libtorch was loaded from
 * @param source where that libtorch came from
 * @param djlVersion DJL's version, e.g. "0.36.0"
 * @param gpuCount GPUs the engine can use
 * @param cuda whether the engine has CUDA
 * @param cudnn whether the engine has cuDNN
 * @param defaultDevice the device {@code --device auto} resolves to
 * @param cpuKernels which CPU kernel libraries libtorch may use on this processor, and why
 */
public record EngineReport(
        String name,
        String version,
        String flavor,
        String libtorchPath,
        EngineSource source,
        String djlVersion,
        int gpuCount,
        boolean cuda,
        boolean cudnn,
        String defaultDevice,
        CpuKernels.Choice cpuKernels) {}
