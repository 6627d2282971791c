/**
 * GPU telemetry from NVML through JNA: devices, memory, utilisation, temperature, power, clocks,
 * clocks-event reasons and per-process memory. A machine without a driver, a GPU or NVML gets an
 * empty inventory with a reason, never an exception.
 */
package io.dlstation.gpu;
