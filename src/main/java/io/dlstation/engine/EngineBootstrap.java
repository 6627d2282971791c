package io.dlstation.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Platform;
import ai.djl.util.Utils;
import io.dlstation.engine.libtorch.CpuKernels;
import io.dlstation.engine.libtorch.LibTorchCuda;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.nio.file.Path;

/**
 * Brings up DJL's PyTorch engine from an {@link EnginePlan}.
 *
 * <p>Design: DJL loads exactly one libtorch per JVM and chooses it from environment variables or
 * system properties read once, at first use. This class is therefore the single place that sets
 * those properties and starts the engine; it remembers the plan it started with and refuses a
 * different one later in the same process, instead of silently running on the first.
 */
public final class EngineBootstrap {
    /** DJL's engine name for PyTorch. */
    public static final String ENGINE_NAME = "PyTorch";

    private static EnginePlan startedPlan;
    private static EngineReport startedReport;
    private static LibTorchCuda cuda;

    private EngineBootstrap() {}

    /**
     * Sets the opt-out of DJL's usage tracking unless the user chose otherwise in the environment.
     * Must run before the first DJL engine class loads; {@code Main} calls it first thing.
     */
    public static void optOutOfTracking() {
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /**
     * Starts the engine for {@code plan}, or returns the running one if it was started from the same
     * plan. Failures to load come out as {@link DlstationException} with what to do.
     */
    public static synchronized EngineReport start(EnginePlan plan) {
        optOutOfTracking();
        if (startedReport != null) {
            if (!sameLibtorch(startedPlan, plan)) {
                throw new DlstationException(ErrorCode.INTERNAL, "the engine already runs " + startedReport.source()
                        .description() + " in this process; it cannot switch to " + plan.source().description());
            }
            return startedReport;
        }
        Platform platform = Platform.fromSystem("pytorch");
        if (plan.source() == EngineSource.LOCAL_PYTORCH) {
            PyTorchInstall install = plan.install();
            System.setProperty("PYTORCH_LIBRARY_PATH", install.libDir().toString());
            System.setProperty("PYTORCH_VERSION", install.version());
            System.setProperty("PYTORCH_FLAVOR", install.flavor());
            new JniInstaller(Utils.getEngineCacheDir("pytorch"), platform.getApiVersion(), platform.getClassifier())
                    .ensure(install, plan.jni(), platform.getVersion());
        }
        Engine engine = load(plan);
        int gpus = engine.getGpuCount();
        Path libtorch = Path.of(LibUtils.getLibtorchPath());
        CpuKernels.Choice cpuKernels = CpuKernels.secure(libtorch);
        cuda = LibTorchCuda.bind(libtorch);
        startedReport = new EngineReport(
                engine.getEngineName(),
                engine.getVersion(),
                flavorOf(plan, libtorch, gpus),
                libtorch.toString(),
                plan.source(),
                Engine.getDjlVersion(),
                gpus,
                engine.hasCapability(StandardCapabilities.CUDA),
                engine.hasCapability(StandardCapabilities.CUDNN),
                plan.device().kind() == DeviceSpec.Kind.CPU ? Device.cpu().toString() : DeviceSpec.AUTO.resolve(gpus).toString(),
                cpuKernels);
        startedPlan = plan;
        return startedReport;
    }

    /**
     * The running libtorch's CUDA switches and allocator (switches bind on any build; the allocator
     * only with CUDA).
     *
     * @throws IllegalStateException before {@link #start}
     */
    public static synchronized LibTorchCuda cuda() {
        if (cuda == null) {
            throw new IllegalStateException("the engine has not started");
        }
        return cuda;
    }

    /**
     * Applies the CUDA settings the user chose to the running engine: TF32 for matmuls and cuDNN
     * convolutions, process-wide.
     */
    public static void applyCudaSettings(EngineSettings settings) {
        cuda().setTf32(settings.tf32() == Tf32.ON);
    }

    /** The running engine's report, or null before {@link #start}. */
    public static synchronized EngineReport current() {
        return startedReport;
    }

    private static Engine load(EnginePlan plan) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            if (plan.source() == EngineSource.DJL_DOWNLOAD) {
                ClassLoader base = previous != null ? previous : EngineBootstrap.class.getClassLoader();
                thread.setContextClassLoader(new ResourceHidingClassLoader(base, EnginePlan.BUNDLED_PROPERTIES));
            }
            return Engine.getEngine(ENGINE_NAME);
        } catch (RuntimeException | LinkageError e) {
            throw new DlstationException(ErrorCode.INTERNAL, "the PyTorch engine failed to start from "
                    + plan.source().description() + " (" + plan.reason() + "): " + rootMessage(e) + ". " + hint(plan), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String hint(EnginePlan plan) {
        return switch (plan.source()) {
            case BUNDLED_CPU -> "Check that the jar includes ai.djl.pytorch:pytorch-native-cpu.";
            case DJL_DOWNLOAD -> "DJL downloads its CUDA libtorch on first use; without network (or with "
                    + "DJL_OFFLINE=true) point --pytorch-home at a local PyTorch, or use --device cpu.";
            case LOCAL_PYTORCH -> "Check that the JNI was compiled against this libtorch (--pytorch-jni) and that "
                    + "CUDA and cuDNN libraries are on the loader path.";
        };
    }

    private static String flavorOf(EnginePlan plan, Path libtorch, int gpus) {
        if (plan.install() != null) {
            return plan.install().flavor();
        }
        // DJL's cache folders are named <version>[-<build>]-<flavor>-<classifier>,
        // e.g. 2.7.1-cu128-linux-x86_64 or 2.7.1-20250812-cpu-linux-x86_64
        for (String part : libtorch.getFileName().toString().split("-")) {
            if (part.equals("cpu") || part.matches("cu\\d+")) {
                return part;
            }
        }
        return gpus > 0 ? "cuda" : "cpu";
    }

    private static boolean sameLibtorch(EnginePlan a, EnginePlan b) {
        if (a.source() != b.source()) {
            return false;
        }
        return a.install() == null ? b.install() == null : a.install().equals(b.install());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
