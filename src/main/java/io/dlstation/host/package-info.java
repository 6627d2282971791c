/** Host facts and telemetry through OSHI: operating system, CPU, memory. */
package io.dlstation.host;
