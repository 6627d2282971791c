package io.dlstation.host;

/**
 * The static facts of the host machine. Fields OSHI cannot read are null.
 *
 * @param os e.g. "Ubuntu 24.04.1 LTS"
 * @param kernel e.g. "6.8.0-45-generic"
 * @param cores logical processors
 */
public record HostInfo(
        String hostname,
        String os,
        String kernel,
        String arch,
        String cpuModel,
        Integer physicalCores,
        Integer cores,
        Long memoryBytes) {}
