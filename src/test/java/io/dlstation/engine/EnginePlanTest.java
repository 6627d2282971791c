package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuInventory;
import io.dlstation.gpu.GpuMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnginePlanTest {
    private static final GpuInventory NO_GPU = GpuInventory.unavailable("NVML (libnvidia-ml.so.1) could not be loaded");
    private static final GpuInventory ONE_GPU = new GpuInventory("580.159.04", "13.0", List.of(new GpuDevice(0,
            "NVIDIA H100 80GB HBM3", "GPU-1", "00000000:18:00.0", "9.0", new GpuMemory(85L << 30, 1L << 30,
            84L << 30, 0L), 0, 0, 30, null, 0, 70.0, 700.0, 1980, 2619, 1980, 2619, 1L, List.of("GpuIdle"),
            List.of())), null);

    @TempDir
    Path tmp;

    private final PyTorchInstallLocator locator = new PyTorchInstallLocator();

    private static EngineSettings settings(String home, Path jni, String device) {
        return new EngineSettings(home, jni, DeviceSpec.parse(device));
    }

    @Test
    void cpuMachineUsesTheBundledCpuBuild() {
        EnginePlan plan = EnginePlan.decide(settings(null, null, "auto"), NO_GPU, locator, true);
        assertThat(plan.source()).isEqualTo(EngineSource.BUNDLED_CPU);
        assertThat(plan.reason()).contains("no NVIDIA GPU visible");
    }

    @Test
    void gpuMachineUsesDjlsCudaDownloadUnlessTheCpuIsAskedFor() {
        assertThat(EnginePlan.decide(settings(null, null, "auto"), ONE_GPU, locator, true).source())
                .isEqualTo(EngineSource.DJL_DOWNLOAD);
        assertThat(EnginePlan.decide(settings(null, null, "cpu"), ONE_GPU, locator, true).source())
                .isEqualTo(EngineSource.BUNDLED_CPU);
    }

    @Test
    void withoutABundledBuildDjlDownloadsOne() {
        assertThat(EnginePlan.decide(settings(null, null, "cpu"), NO_GPU, locator, false).source())
                .isEqualTo(EngineSource.DJL_DOWNLOAD);
    }

    @Test
    void aPyTorchHomeWins() throws IOException {
        Path torch = Files.createDirectories(tmp.resolve("torch/lib")).getParent();
        Files.writeString(torch.resolve("lib/libtorch.so"), "");
        Files.writeString(torch.resolve("version.py"), "__version__ = '2.11.0+cu130'\ncuda = '13.0'\n");
        Path jni = Files.writeString(tmp.resolve("libdjl_torch.so"), "elf");
        EnginePlan plan = EnginePlan.decide(settings(torch.resolve("lib").toString(), jni, "cpu"), NO_GPU, locator, true);
        assertThat(plan.source()).isEqualTo(EngineSource.LOCAL_PYTORCH);
        assertThat(plan.install().version()).isEqualTo("2.11.0");
        assertThat(plan.jni()).isEqualTo(jni);
    }

    @Test
    void aJniWithoutAPyTorchHomeOrThatDoesNotExistIsBadInput() throws IOException {
        Path jni = Files.writeString(tmp.resolve("libdjl_torch.so"), "elf");
        assertThatThrownBy(() -> EnginePlan.decide(settings(null, jni, "auto"), ONE_GPU, locator, true))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("--pytorch-jni needs --pytorch-home");
        Path missing = tmp.resolve("missing.so");
        assertThatThrownBy(() -> EnginePlan.decide(settings("auto", missing, "auto"), ONE_GPU, locator, true))
                .hasMessageContaining("--pytorch-jni " + missing)
                .hasMessageContaining("no readable file");
    }
}
