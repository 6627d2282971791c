package io.dlstation.host;

import java.util.function.Supplier;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/** Reads {@link HostInfo} through OSHI; a value OSHI fails to read is null, never an exception. */
public final class HostProbe {
    private HostProbe() {}

    /** The host's static facts. */
    public static HostInfo read() {
        SystemInfo system = new SystemInfo();
        HardwareAbstractionLayer hardware = orNull(system::getHardware);
        OperatingSystem os = orNull(system::getOperatingSystem);
        CentralProcessor cpu = hardware == null ? null : orNull(hardware::getProcessor);
        return new HostInfo(
                os == null ? null : orNull(() -> os.getNetworkParams().getHostName()),
                os == null ? null : orNull(() -> os.getFamily() + " " + os.getVersionInfo().getVersion()),
                orNull(() -> System.getProperty("os.version")),
                orNull(() -> System.getProperty("os.arch")),
                cpu == null ? null : orNull(() -> cpu.getProcessorIdentifier().getName().strip()),
                cpu == null ? null : orNull(cpu::getPhysicalProcessorCount),
                cpu == null ? null : orNull(cpu::getLogicalProcessorCount),
                hardware == null ? null : orNull(() -> hardware.getMemory().getTotal()));
    }

    private static <T> T orNull(Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
