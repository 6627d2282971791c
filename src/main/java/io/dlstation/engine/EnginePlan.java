package io.dlstation.engine;

import io.dlstation.error.DlstationException;
import io.dlstation.gpu.GpuInventory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checked decision of which libtorch to load, made before DJL is touched so that a bad
 * {@code --pytorch-home} is a usage error rather than an engine crash.
 *
 * @param install the local PyTorch, only for {@link EngineSource#LOCAL_PYTORCH}
 * @param jni a JNI library to install for that PyTorch, or null
 * @param reason one line on why this source was chosen
 */
public record EnginePlan(EngineSource source, PyTorchInstall install, Path jni, DeviceSpec device, String reason) {

    /** The resource DJL reads to find a libtorch bundled on the class path. */
    static final String BUNDLED_PROPERTIES = "native/lib/pytorch.properties";

    /** Decides for this class path (with or without the bundled CPU build). */
    public static EnginePlan decide(EngineSettings settings, GpuInventory gpus, PyTorchInstallLocator locator) {
        boolean bundled = EnginePlan.class.getClassLoader().getResource(BUNDLED_PROPERTIES) != null;
        return decide(settings, gpus, locator, bundled);
    }

    /**
     * Decides the source: a named PyTorch home wins; then the bundled CPU build when the CPU is asked
     * for or no GPU is visible; else DJL's download (its CUDA build on a GPU machine), which is what DJL
     * does for its users by default and the only choice left when no CPU build is bundled (the
     * distribution bundle leaves it out).
     */
    static EnginePlan decide(EngineSettings settings, GpuInventory gpus, PyTorchInstallLocator locator,
            boolean bundledCpu) {
        Path jni = settings.pytorchJni();
        if (jni != null && !Files.isReadable(jni)) {
            throw DlstationException.badInput("--pytorch-jni " + jni + ": no readable file there; pass the "
                    + "libdjl_torch.so built for your PyTorch");
        }
        if (settings.pytorchHome() != null) {
            PyTorchInstall install = locator.locate(settings.pytorchHome());
            return new EnginePlan(EngineSource.LOCAL_PYTORCH, install, jni, settings.device(),
                    "PyTorch " + install.version() + " (" + install.flavor() + ") at " + install.libDir());
        }
        if (jni != null) {
            throw DlstationException.badInput("--pytorch-jni needs --pytorch-home: the JNI must match the libtorch "
                    + "it is loaded with");
        }
        if (!bundledCpu) {
            return new EnginePlan(EngineSource.DJL_DOWNLOAD, null, null, settings.device(),
                    "no libtorch bundled with this build and no --pytorch-home");
        }
        if (settings.device().kind() == DeviceSpec.Kind.CPU) {
            return new EnginePlan(EngineSource.BUNDLED_CPU, null, null, settings.device(), "--device cpu");
        }
        if (gpus.devices().isEmpty()) {
            return new EnginePlan(EngineSource.BUNDLED_CPU, null, null, settings.device(),
                    "no NVIDIA GPU visible" + (gpus.reason() == null ? "" : " (" + gpus.reason() + ")"));
        }
        return new EnginePlan(EngineSource.DJL_DOWNLOAD, null, null, settings.device(),
                gpus.devices().size() + " NVIDIA GPU(s) visible and no --pytorch-home");
    }
}
