package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dlstation.gpu.GpuInventory;
import io.dlstation.models.SmallCnn;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.quickstart.ForwardBackwardCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real PyTorch engine on the CPU, from the libtorch bundled through Maven. */
class CpuEngineTest {
    private static EngineReport report;

    @BeforeAll
    static void startEngine() {
        EnginePlan plan = EnginePlan.decide(new EngineSettings(null, null, DeviceSpec.CPU),
                GpuInventory.unavailable("test"), new PyTorchInstallLocator());
        report = EngineBootstrap.start(plan);
    }

    @Test
    void reportsTheBundledCpuBuild() {
        assertThat(report.name()).isEqualTo("PyTorch");
        assertThat(report.version()).isEqualTo("2.7.1");
        assertThat(report.flavor()).isEqualTo("cpu");
        assertThat(report.source()).isEqualTo(EngineSource.BUNDLED_CPU);
        assertThat(report.djlVersion()).isEqualTo("0.36.0");
        assertThat(report.libtorchPath()).contains("pytorch");
        assertThat(report.defaultDevice()).isEqualTo("cpu()");
        assertThat(EngineBootstrap.current()).isSameAs(report);
    }

    @Test
    void startingAgainWithTheSamePlanReturnsTheRunningEngine() {
        EnginePlan same = EnginePlan.decide(new EngineSettings(null, null, DeviceSpec.CPU),
                GpuInventory.unavailable("again"), new PyTorchInstallLocator());
        assertThat(EngineBootstrap.start(same)).isSameAs(report);
    }

    @Test
    void runsATinyForwardPass() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            SmallCnn model = new SmallCnn(4, false);
            ModelParameters.allocate(model, manager, Precision.FP32);
            NDArray x = manager.ones(new Shape(2, 3, 16, 16));
            NDArray y = model.apply(x, false);
            assertThat(y.getShape()).isEqualTo(new Shape(2, 4));
            assertThat(y.isInfinite().any().getBoolean()).isFalse();
        }
    }

    @Test
    void trainingASmallCnnLowersItsLoss() {
        ForwardBackwardCheck.Result result = ForwardBackwardCheck.run(Device.cpu(), 16, 8, 7);
        assertThat(result.losses()).hasSize(8);
        assertThat(result.lossFell()).isTrue();
        assertThat(result.parameters()).isBetween(20_000L, 30_000L);
    }

    @Test
    void aRealAllocatorFailureBecomesOutOfDeviceMemory() {
        // 2^46 floats = 256 TiB: more than any machine's address space, so the CPU allocator refuses.
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> OomRecognizer.guard("cpu()", "a 256 TiB tensor",
                    () -> manager.create(new Shape(1L << 46))))
                    .isInstanceOf(OutOfDeviceMemoryException.class)
                    .hasMessageContaining("out of memory on cpu()")
                    .hasMessageContaining("a 256 TiB tensor");
        }
    }
}
