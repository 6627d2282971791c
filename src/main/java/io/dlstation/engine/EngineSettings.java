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
 */
public record EngineSettings(String pytorchHome, Path pytorchJni, DeviceSpec device) {

    public EngineSettings {
        Objects.requireNonNull(device, "device");
        if (pytorchHome != null && pytorchHome.isBlank()) {
            pytorchHome = null;
        }
    }

    /** Defaults: bundled or downloaded libtorch, automatic device. */
    public static EngineSettings defaults() {
        return new EngineSettings(null, null, DeviceSpec.AUTO);
    }
}
