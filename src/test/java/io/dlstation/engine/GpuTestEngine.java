package io.dlstation.engine;

import io.dlstation.gpu.GpuTelemetry;
import java.nio.file.Path;

/**
 * Starts the engine for GPU-tagged tests the way the product does, whichever test class runs first:
 * the local PyTorch named by DLSTATION_PYTORCH_HOME / DLSTATION_PYTORCH_JNI when set, else DJL's CUDA
 * download. Starting it again with the same plan returns the running engine.
 */
public final class GpuTestEngine {
    private GpuTestEngine() {}

    /** Starts (or finds) the engine. */
    public static EngineReport start() {
        try (GpuTelemetry telemetry = GpuTelemetry.open()) {
            String jni = System.getenv("DLSTATION_PYTORCH_JNI");
            EngineSettings settings = new EngineSettings(System.getenv("DLSTATION_PYTORCH_HOME"),
                    jni == null ? null : Path.of(jni), DeviceSpec.AUTO);
            return EngineBootstrap.start(EnginePlan.decide(settings, telemetry.read(), new PyTorchInstallLocator()));
        }
    }
}
