package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.quickstart.ForwardBackwardCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine on a real GPU. Uses DLSTATION_PYTORCH_HOME / DLSTATION_PYTORCH_JNI when set (a local
 * PyTorch), else DJL's CUDA download.
 */
@Tag("gpu")
class GpuEngineTest {
    private static GpuTelemetry telemetry;
    private static EngineReport report;

    @BeforeAll
    static void startEngine() {
        telemetry = GpuTelemetry.open();
        String jni = System.getenv("DLSTATION_PYTORCH_JNI");
        EngineSettings settings = new EngineSettings(System.getenv("DLSTATION_PYTORCH_HOME"),
                jni == null ? null : Path.of(jni), DeviceSpec.AUTO);
        report = EngineBootstrap.start(EnginePlan.decide(settings, telemetry.read(), new PyTorchInstallLocator()));
    }

    @AfterAll
    static void close() {
        telemetry.close();
    }

    @Test
    void theEngineSeesTheGpuWithCudaAndCudnn() {
        assertThat(report.gpuCount()).isPositive();
        assertThat(report.cuda()).isTrue();
        assertThat(report.cudnn()).isTrue();
        assertThat(report.flavor()).startsWith("cu");
        assertThat(report.defaultDevice()).isEqualTo("gpu(0)");
    }

    @Test
    void trainsOnTheGpu() {
        ForwardBackwardCheck.Result result = ForwardBackwardCheck.run(Device.gpu(0), 64, 10, 1);
        assertThat(result.device()).isEqualTo("gpu(0)");
        assertThat(result.lossFell()).isTrue();
    }

    @Test
    void cudaOutOfMemoryBecomesATypedError() {
        try (NDManager manager = NDManager.newBaseManager(Device.gpu(0))) {
            // 2^40 fp32 = 4 TiB: more than any GPU holds.
            assertThatThrownBy(() -> OomRecognizer.guard("gpu(0)", "a 4 TiB tensor",
                    () -> manager.zeros(new Shape(1L << 40), DataType.FLOAT32)))
                    .isInstanceOf(OutOfDeviceMemoryException.class)
                    .hasMessageContaining("tried to allocate");
            // and the device still works afterwards
            NDArray ok = manager.ones(new Shape(1024, 1024));
            assertThat(ok.sum().getFloat()).isEqualTo(1024f * 1024f);
        }
    }

    @Test
    void profilerSeesGpuMemoryGrowWhileWorkHoldsIt() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (NDManager manager = NDManager.newBaseManager(Device.gpu(0))) {
            manager.ones(new Shape(1)).getFloat(); // creates the CUDA context before the start reading
            MemoryProbe probe = MemoryProbes.forDevice(Device.gpu(0), telemetry);
            MemoryProfiler.Profiled<Float> run = MemoryProfiler.profile(probe, scheduler, Duration.ofMillis(5), () -> {
                NDArray big = manager.ones(new Shape(1L << 30), DataType.FLOAT16); // 2 GiB
                return big.sum().getFloat();
            });
            assertThat(run.memory().source()).startsWith("nvml-");
            assertThat(run.memory().peakGrowthBytes()).isGreaterThanOrEqualTo(2L << 30);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
