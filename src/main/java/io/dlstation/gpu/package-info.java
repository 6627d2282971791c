/**
 * GPU telemetry from NVML through JNA: devices, memory, utilisation, temperature, power, clocks,
 * clocks-event reasons and per-process memory. A machine without a driver, a GPU or NVML gets an
 * empty inventory with a reason, never an exception.
 *
 * <p>The door: {@link io.dlstation.gpu.GpuTelemetry} and the values it reads ({@link
 * io.dlstation.gpu.GpuInventory}, {@link io.dlstation.gpu.GpuDevice}, {@link
 * io.dlstation.gpu.GpuMemory}, {@link io.dlstation.gpu.GpuProcess}); {@link
 * io.dlstation.gpu.ClocksEventReasons} and {@link io.dlstation.gpu.CudaVersions} decode what NVML
 * says. The NVML binding itself is package-private.
 */
package io.dlstation.gpu;
