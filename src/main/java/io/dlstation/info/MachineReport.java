package io.dlstation.info;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.dlstation.engine.EngineReport;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.host.HostInfo;
import java.util.List;

/**
 * Everything {@code dlstation info} reports: the answer to "can I train on this box, and if not,
 * why?". Serialised as-is for {@code --json} ({@code "schema": 1}).
 *
 * @param engine the started engine, or null when it failed (the reason is among the warnings)
 * @param driverVersion the NVIDIA driver, null without one
 * @param cudaDriverVersion the highest CUDA version the driver supports
 * @param nvmlError why NVML listed no GPU, null when it answered
 * @param warnings what is wrong or limited, each with what to do
 */
@JsonPropertyOrder({"schema", "host", "jvm", "engine", "driverVersion", "cudaDriverVersion", "nvmlError", "gpus",
    "warnings"})
public record MachineReport(
        int schema,
        HostInfo host,
        JvmInfo jvm,
        EngineReport engine,
        String driverVersion,
        String cudaDriverVersion,
        String nvmlError,
        List<GpuDevice> gpus,
        List<String> warnings) {

    /** The version of this JSON shape. */
    public static final int SCHEMA = 1;

    public MachineReport {
        gpus = List.copyOf(gpus);
        warnings = List.copyOf(warnings);
    }
}
