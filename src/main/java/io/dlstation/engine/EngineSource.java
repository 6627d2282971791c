package io.dlstation.engine;

/** Where the engine's libtorch comes from. */
public enum EngineSource {
    /** The CPU libtorch bundled from Maven ({@code ai.djl.pytorch:pytorch-native-cpu}). */
    BUNDLED_CPU("DJL's CPU libtorch from Maven"),
    /** DJL's own download of its CUDA build into its cache (needs network on first use). */
    DJL_DOWNLOAD("DJL's CUDA libtorch download"),
    /** A PyTorch already installed on this machine ({@code --pytorch-home}). */
    LOCAL_PYTORCH("local PyTorch install");

    private final String description;

    EngineSource(String description) {
        this.description = description;
    }

    /** A phrase for reports. */
    public String description() {
        return description;
    }
}
