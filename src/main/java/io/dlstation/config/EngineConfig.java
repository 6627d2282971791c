package io.dlstation.config;

import io.dlstation.engine.DeviceSpec;

/**
 * The {@code engine:} section of dlstation.yaml.
 *
 * @param pytorchHome "auto" or the torch/lib folder of a local PyTorch; null for DJL's own libtorch
 * @param pytorchJni a libdjl_torch.so compiled for that PyTorch; null if DJL has one
 * @param device auto, cpu, gpu or gpu:N; null when not set
 */
public record EngineConfig(String pytorchHome, String pytorchJni, DeviceSpec device) {

    /** No engine settings: every value defaults. */
    public static EngineConfig empty() {
        return new EngineConfig(null, null, null);
    }
}
