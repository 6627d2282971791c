package io.dlstation.engine;

import java.nio.file.Path;

/**
 * A local PyTorch whose libtorch the engine can load instead of DJL's own.
 *
 * @param libDir the folder holding {@code libtorch.so} (a pip install's {@code torch/lib})
 * @param version PyTorch's version without the local suffix, e.g. "2.11.0"
 * @param flavor DJL's name for the build: "cpu" or "cuNNN" (e.g. "cu130")
 */
public record PyTorchInstall(Path libDir, String version, String flavor) {

    /** Whether this is a CUDA build. */
    public boolean isCuda() {
        return flavor.startsWith("cu");
    }
}
