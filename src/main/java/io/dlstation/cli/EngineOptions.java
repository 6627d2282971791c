package io.dlstation.cli;

import io.dlstation.config.DlstationConfig;
import io.dlstation.config.EngineConfig;
import io.dlstation.engine.DeviceSpec;
import io.dlstation.engine.EngineSettings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The engine flags every engine-using verb takes. Each value comes from, in order: the flag, the
 * environment variable, dlstation.yaml's {@code engine:} section, the default.
 */
final class EngineOptions {
    @Option(names = "--pytorch-home", paramLabel = "DIR|auto",
            description = "Use a local PyTorch: its torch/lib folder, or 'auto' to ask python3 (env DLSTATION_PYTORCH_HOME).")
    String pytorchHome;

    @Option(names = "--pytorch-jni", paramLabel = "FILE",
            description = "DJL JNI (libdjl_torch.so) compiled for that PyTorch (env DLSTATION_PYTORCH_JNI).")
    Path pytorchJni;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu:N", descriptionKey = "device",
            description = "Device to run on (env DLSTATION_DEVICE; default auto: the first GPU, else the CPU).")
    String device;

    EngineSettings settings(DlstationConfig config, Map<String, String> env) {
        EngineConfig file = config.engine();
        String home = first(pytorchHome, env.get("DLSTATION_PYTORCH_HOME"), file.pytorchHome());
        String jni = first(pytorchJni == null ? null : pytorchJni.toString(), env.get("DLSTATION_PYTORCH_JNI"),
                file.pytorchJni());
        String dev = first(device, env.get("DLSTATION_DEVICE"));
        DeviceSpec spec = dev != null ? DeviceSpec.parse(dev) : file.device() != null ? file.device() : DeviceSpec.AUTO;
        return new EngineSettings(home, jni == null ? null : Path.of(jni), spec);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
