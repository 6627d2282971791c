package io.dlstation.monitor;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.host.HostMetrics;
import java.time.Instant;
import java.util.List;

/**
 * Every GPU and the host at one moment: what each sampler tick hands to the sinks and the alert
 * engine. Immutable; a value that could not be read is null, and {@code gpuProblem} says why no GPU
 * is listed when NVML is not available.
 *
 * <p>As JSON (one line per snapshot): {@code {"schema":1,"time":"2025-...Z","host":{...},"gpus":[...],
 * "driverVersion":...,"cudaDriverVersion":...,"gpuProblem":...,"sampleMillis":...}}.
 *
 * @param schema the JSON schema version, {@value #SCHEMA}
 * @param time when the sample was taken
 * @param driverVersion the NVIDIA driver, null without one
 * @param gpuProblem why {@code gpus} is empty (no driver, NVML failed), null when NVML answered
 * @param sampleMillis how long taking this sample took
 */
@JsonPropertyOrder({"schema", "time", "host", "gpus", "driverVersion", "cudaDriverVersion", "gpuProblem", "sampleMillis"})
public record MonitorSnapshot(
        int schema,
        @JsonSerialize(using = ToStringSerializer.class) Instant time,
        HostMetrics host,
        List<GpuDevice> gpus,
        String driverVersion,
        String cudaDriverVersion,
        String gpuProblem,
        double sampleMillis) {

    /** The version of the JSON form. */
    public static final int SCHEMA = 1;

    public MonitorSnapshot {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    /** The host name, or "unknown". */
    public String hostname() {
        return host == null || host.hostname() == null ? "unknown" : host.hostname();
    }
}
