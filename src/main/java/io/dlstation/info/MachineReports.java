package io.dlstation.info;

import io.dlstation.engine.EngineReport;
import io.dlstation.engine.EngineSource;
import io.dlstation.gpu.CudaVersions;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuInventory;
import io.dlstation.host.HostInfo;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link MachineReport} and the warnings that say what to do about the machine. */
final class MachineReports {
    /** GPUs older than this (Volta) are not supported by PyTorch's CUDA 12/13 builds. */
    private static final double MIN_COMPUTE_CAPABILITY = 7.0;

    private MachineReports() {}

    /** Assembles the report from what each part read; never throws. */
    public static MachineReport build(HostInfo host, JvmInfo jvm, EngineStatus engine, GpuInventory gpus) {
        return new MachineReport(MachineReport.SCHEMA, host, jvm, engine.report(), gpus.driverVersion(),
                gpus.cudaDriverVersion(), gpus.reason(), gpus.devices(), warnings(engine, gpus));
    }

    /** What is wrong or limited on this machine, each with a fix; empty when all is well. */
    static List<String> warnings(EngineStatus status, GpuInventory gpus) {
        List<String> warnings = new ArrayList<>();
        EngineReport engine = status.report();
        int visible = gpus.devices().size();
        if (visible == 0) {
            warnings.add("No NVIDIA GPU visible" + (gpus.reason() == null ? "" : ": " + gpus.reason())
                    + ". Work runs on the CPU; install the NVIDIA driver (nvidia-smi must work) to use a GPU.");
        }
        if (status.error() != null) {
            warnings.add("The PyTorch engine did not start: " + status.error());
        }
        if (engine != null) {
            int needed = CudaVersions.codeOfFlavor(engine.flavor());
            int driver = gpus.cudaDriverVersionCode();
            if (needed > 0 && driver > 0 && driver < needed) {
                warnings.add("The driver supports CUDA " + gpus.cudaDriverVersion() + " but the engine's libtorch is "
                        + "built for CUDA " + CudaVersions.fromCode(needed) + ": update the NVIDIA driver, or use a "
                        + "PyTorch built for CUDA " + gpus.cudaDriverVersion() + " or older (--pytorch-home).");
            }
            if (engine.cpuKernels() != null && engine.cpuKernels().warning() != null) {
                warnings.add(engine.cpuKernels().warning());
            }
            if (visible > engine.gpuCount()) {
                String why = engine.source() == EngineSource.BUNDLED_CPU || "cpu".equals(engine.flavor())
                        ? "it runs a CPU-only libtorch (" + engine.source().description() + "); point --pytorch-home "
                                + "at a CUDA PyTorch, or drop --device cpu to let DJL fetch its CUDA build"
                        : "check CUDA_VISIBLE_DEVICES and the driver/CUDA versions";
                warnings.add("NVML sees " + visible + " GPU(s) but the engine sees " + engine.gpuCount() + ": " + why
                        + ".");
            }
        }
        String cudaVisible = System.getenv("CUDA_VISIBLE_DEVICES");
        if (cudaVisible != null && visible > 0) {
            warnings.add("CUDA_VISIBLE_DEVICES=" + cudaVisible + " limits which GPUs the engine may use.");
        }
        for (GpuDevice gpu : gpus.devices()) {
            warnings.addAll(deviceWarnings(gpu));
        }
        warnings.add("bfloat16 is not available in DJL's PyTorch engine; use fp16 (inference) or fp16-mixed "
                + "(training with fp32 master weights and loss scaling).");
        return warnings;
    }

    private static List<String> deviceWarnings(GpuDevice gpu) {
        List<String> warnings = new ArrayList<>();
        String name = "GPU " + gpu.index() + (gpu.name() == null ? "" : " (" + gpu.name() + ")");
        if (gpu.computeCapability() != null) {
            try {
                if (Double.parseDouble(gpu.computeCapability()) < MIN_COMPUTE_CAPABILITY) {
                    warnings.add(name + " has compute capability " + gpu.computeCapability()
                            + "; current PyTorch CUDA builds need 7.0 or newer.");
                }
            } catch (NumberFormatException ignored) {
                // an unparseable capability is reported as-is in the table
            }
        }
        if (gpu.clocksEventReasons() != null && io.dlstation.gpu.ClocksEventReasons.isSlowdown(gpu.clocksEventReasons())) {
            warnings.add(name + " is slowing its clocks: " + String.join(", ", gpu.clocksEventReasonNames())
                    + "; check cooling and the power limit (nvidia-smi -q -d PERFORMANCE).");
        }
        if (gpu.memory() != null && gpu.memory().usedPercent() > 50) {
            warnings.add(name + " already has " + gpu.memory().usedBytes() / (1L << 20) + " MiB of "
                    + gpu.memory().totalBytes() / (1L << 20) + " MiB in use by other processes.");
        }
        return warnings;
    }
}
