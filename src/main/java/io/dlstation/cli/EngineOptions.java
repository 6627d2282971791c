package io.dlstation.cli;

import io.dlstation.config.DlstationConfig;
import io.dlstation.config.EngineConfig;
import io.dlstation.engine.DeviceSpec;
import io.dlstation.engine.EngineSettings;
import io.dlstation.engine.Tf32;
import io.dlstation.error.DlstationException;
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

    @Option(names = "--tf32", paramLabel = "on|off",
            description = "Let float32 matmuls and cuDNN convolutions use TF32 tensor cores on the GPU (env "
                    + "DLSTATION_TF32; default on: several times faster float32, precision deep learning tolerates).")
    String tf32;

    @Option(names = "--memory-fraction", paramLabel = "X",
            description = "Cap the GPU memory this process's allocator may hold at X of each GPU it uses "
                    + "(0 < X <= 1; env DLSTATION_MEMORY_FRACTION; default: no cap). Beyond it, work fails as out "
                    + "of memory.")
    Double memoryFraction;

    EngineSettings settings(DlstationConfig config, Map<String, String> env) {
        EngineConfig file = config.engine();
        String home = first(pytorchHome, env.get("DLSTATION_PYTORCH_HOME"), file.pytorchHome());
        String jni = first(pytorchJni == null ? null : pytorchJni.toString(), env.get("DLSTATION_PYTORCH_JNI"),
                file.pytorchJni());
        String dev = first(device, env.get("DLSTATION_DEVICE"));
        DeviceSpec spec = dev != null ? DeviceSpec.parse(dev) : file.device() != null ? file.device() : DeviceSpec.AUTO;
        String tf32Text = first(tf32, env.get("DLSTATION_TF32"));
        Double fraction = memoryFraction != null ? memoryFraction : parseFraction(env.get("DLSTATION_MEMORY_FRACTION"));
        return new EngineSettings(home, jni == null ? null : Path.of(jni), spec,
                tf32Text == null ? Tf32.ON : Tf32.parse(tf32Text), fraction);
    }

    private static Double parseFraction(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw DlstationException.badInput("DLSTATION_MEMORY_FRACTION=" + text + " is not a number; give a "
                    + "fraction such as 0.9");
        }
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
