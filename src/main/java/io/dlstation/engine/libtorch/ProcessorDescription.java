package io.dlstation.engine.libtorch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the processor says about itself that matters to libtorch's CPU kernels: its vendor and
 * whether it describes its caches.
 *
 * <p>oneDNN (through its copy of Xbyak) and NNPACK (through cpuinfo) read the cache sizes with the
 * CPUID instruction, leaf 4 on Intel and leaf 0x8000001D on AMD. Java cannot execute CPUID, but the
 * Linux kernel builds {@code /sys/devices/system/cpu/cpu0/cache} from the same leaves: when the kernel
 * lists no cache there, the leaves are empty, as some hypervisors leave them.
 *
 * @param vendor the {@code vendor_id} of {@code /proc/cpuinfo} ("AuthenticAMD", "GenuineIntel"), or
 *     "" when it cannot be read
 * @param cacheLevelsListed how many caches the kernel lists for cpu0
 */
record ProcessorDescription(String vendor, int cacheLevelsListed) {
    static final Path CPUINFO = Path.of("/proc/cpuinfo");
    static final Path CPU0_CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");

    /** Reads the running machine's description. */
    static ProcessorDescription ofThisMachine() {
        return read(CPUINFO, CPU0_CACHES);
    }

    static ProcessorDescription read(Path cpuinfo, Path cpu0Caches) {
        return new ProcessorDescription(vendorOf(cpuinfo), cachesListed(cpu0Caches));
    }

    /** AMD (and Hygon, its licensee) describe caches in leaf 0x8000001D, which Xbyak trusts. */
    boolean isAmd() {
        return vendor.equals("AuthenticAMD") || vendor.equals("HygonGenuine");
    }

    boolean describesCaches() {
        return cacheLevelsListed > 0;
    }

    private static String vendorOf(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("vendor_id"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static int cachesListed(Path cpu0Caches) {
        try (Stream<Path> entries = Files.list(cpu0Caches)) {
            List<Path> indices = entries.filter(p -> p.getFileName().toString().startsWith("index"))
                    .filter(p -> Files.isRegularFile(p.resolve("size")))
                    .toList();
            return indices.size();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
