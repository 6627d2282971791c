package io.dlstation.engine;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the user asked of the engine, from flags, environment and config, before anything is checked
 * or loaded.
 *
 * @param pytorchHome null (not set), "auto", or a folder
 * @param pytorchJni a DJL JNI library built for that PyTorch, or null
 * @param device the requested device
 * @param tf32 whether CUDA matmuls and cuDNN convolutions may use TF32 (default on)
 * @param memoryFraction the most of each GPU's memory the caching allocator may hold, or null for no cap
 */
public record EngineSettings(String pytorchHome, Path pytorchJni, DeviceSpec device, Tf32 tf32,
        Double memoryFraction) {

    public EngineSettings {
        Objects.requireNonNull(device, "device");
        tf32 = tf32 == null ? Tf32.ON : tf32;
        if (memoryFraction != null && !(memoryFraction > 0 && memoryFraction <= 1)) {
            throw io.dlstation.error.DlstationException.badInput("--memory-fraction " + memoryFraction
                    + ": give a fraction of the GPU's memory above 0 and at most 1, e.g. 0.9");
        }
        if (pytorchHome != null && pytorchHome.isBlank()) {
            pytorchHome = null;
        }
    }

    /** Settings with the CUDA defaults: TF32 on, no memory cap. */
    public EngineSettings(String pytorchHome, Path pytorchJni, DeviceSpec device) {
        this(pytorchHome, pytorchJni, device, Tf32.ON, null);
    }

    /** Defaults: bundled or downloaded libtorch, automatic device. */
    public static EngineSettings defaults() {
        return new EngineSettings(null, null, DeviceSpec.AUTO);
    }
}
