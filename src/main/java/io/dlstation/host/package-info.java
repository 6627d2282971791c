/**
 * Host facts and telemetry through OSHI: operating system, CPU load, frequency and temperature,
 * memory, swap and load average. A value OSHI cannot read is null, never an exception.
 */
package io.dlstation.host;
