package io.dlstation.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes NVML's clocks-event (formerly "throttle") reasons bitmask into names, as {@code
 * nvidia-smi -q} shows them.
 */
public final class ClocksEventReasons {
    private static final long[] BITS = {
        0x1L, 0x2L, 0x4L, 0x8L, 0x10L, 0x20L, 0x40L, 0x80L, 0x100L,
    };
    private static final String[] NAMES = {
        "GpuIdle",
        "ApplicationsClocksSetting",
        "SwPowerCap",
        "HwSlowdown",
        "SyncBoost",
        "SwThermalSlowdown",
        "HwThermalSlowdown",
        "HwPowerBrakeSlowdown",
        "DisplayClockSetting",
    };
    private static final long KNOWN = 0x1FFL;

    private ClocksEventReasons() {}

    /**
     * Names of the bits set in {@code mask}, lowest bit first; bits NVML has not documented appear as
     * {@code Unknown(0x...)}. An empty list means the clocks run unrestricted.
     */
    public static List<String> names(long mask) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < BITS.length; i++) {
            if ((mask & BITS[i]) != 0) {
                names.add(NAMES[i]);
            }
        }
        long unknown = mask & ~KNOWN;
        if (unknown != 0) {
            names.add("Unknown(0x" + Long.toHexString(unknown) + ")");
        }
        return List.copyOf(names);
    }

    /**
     * Whether the mask says the GPU is being slowed down by power or heat (as opposed to idling or an
     * application clock setting).
     */
    public static boolean isSlowdown(long mask) {
        return (mask & (0x4L | 0x8L | 0x20L | 0x40L | 0x80L)) != 0;
    }
}
