package io.dlstation.info;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.engine.EngineReport;
import io.dlstation.engine.EngineSource;
import io.dlstation.engine.libtorch.CpuKernels;
import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuInventory;
import io.dlstation.gpu.GpuMemory;
import io.dlstation.host.HostInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineReportsTest {
    private static final EngineReport CPU_ENGINE = new EngineReport("PyTorch", "2.7.1", "cpu", "/cache/cpu",
            EngineSource.BUNDLED_CPU, "0.36.0", 0, false, false, "cpu()", new CpuKernels.Choice(true, true, null));
    private static final EngineReport CU128_ENGINE = new EngineReport("PyTorch", "2.7.1", "cu128", "/cache/cu128",
            EngineSource.DJL_DOWNLOAD, "0.36.0", 1, true, true, "gpu(0)", new CpuKernels.Choice(true, true, null));

    private static GpuDevice h100(long reasons, long usedBytes) {
        return new GpuDevice(0, "NVIDIA H100 80GB HBM3", "GPU-1", "00000000:18:00.0", "9.0",
                new GpuMemory(80L << 30, usedBytes, (80L << 30) - usedBytes, 0L), 0, 0, 35, null, 0, 70.0, 700.0,
                1980, 2619, 1980, 2619, reasons, io.dlstation.gpu.ClocksEventReasons.names(reasons), List.of());
    }

    private static GpuInventory gpus(String cuda, GpuDevice... devices) {
        return new GpuInventory("580.159.04", cuda, List.of(devices), null);
    }

    @Test
    void aCpuOnlyMachineIsToldWhyAndWhatToDo() {
        List<String> w = MachineReports.warnings(new EngineStatus(CPU_ENGINE, null),
                GpuInventory.unavailable("NVML (libnvidia-ml.so.1) could not be loaded"));
        assertThat(w).anySatisfy(s -> assertThat(s).contains("No NVIDIA GPU visible", "runs on the CPU", "driver"));
        assertThat(w).anySatisfy(s -> assertThat(s).contains("bfloat16", "fp16-mixed"));
    }

    @Test
    void cpuKernelsTurnedOffForThisProcessorAreSaidOnce() {
        EngineReport guarded = new EngineReport("PyTorch", "2.7.1", "cpu", "/cache/cpu", EngineSource.BUNDLED_CPU,
                "0.36.0", 0, false, false, "cpu()", new CpuKernels.Choice(false, false, "oneDNN is off: why and fix"));
        List<String> w = MachineReports.warnings(new EngineStatus(guarded, null), GpuInventory.unavailable("none"));
        assertThat(w).filteredOn(s -> s.contains("oneDNN")).containsExactly("oneDNN is off: why and fix");
        List<String> fine = MachineReports.warnings(new EngineStatus(CPU_ENGINE, null), GpuInventory.unavailable("no"));
        assertThat(fine).noneSatisfy(s -> assertThat(s).contains("oneDNN"));
    }

    @Test
    void aCpuEngineOnAGpuMachineIsFlagged() {
        List<String> w = MachineReports.warnings(new EngineStatus(CPU_ENGINE, null), gpus("13.0", h100(1, 1L << 30)));
        assertThat(w).anySatisfy(s -> assertThat(s).contains("NVML sees 1 GPU(s) but the engine sees 0",
                "CPU-only libtorch", "--pytorch-home"));
        assertThat(w).noneSatisfy(s -> assertThat(s).contains("No NVIDIA GPU visible"));
    }

    @Test
    void aDriverOlderThanTheEnginesCudaIsFlagged() {
        List<String> w = MachineReports.warnings(new EngineStatus(CU128_ENGINE, null), gpus("12.4", h100(1, 0)));
        assertThat(w).anySatisfy(s -> assertThat(s).contains("driver supports CUDA 12.4", "CUDA 12.8"));
        List<String> fine = MachineReports.warnings(new EngineStatus(CU128_ENGINE, null), gpus("13.0", h100(1, 0)));
        assertThat(fine).noneSatisfy(s -> assertThat(s).contains("driver supports"));
    }

    @Test
    void anEngineThatFailedIsReportedWithItsReason() {
        List<String> w = MachineReports.warnings(new EngineStatus(null, "no JNI for PyTorch 2.11.0"),
                gpus("13.0", h100(1, 0)));
        assertThat(w).anySatisfy(s -> assertThat(s).contains("did not start", "no JNI for PyTorch 2.11.0"));
    }

    @Test
    void throttlingAndBusyGpusAreFlagged() {
        List<String> w = MachineReports.warnings(new EngineStatus(CU128_ENGINE, null),
                gpus("13.0", h100(0x4 | 0x40, 60L << 30)));
        assertThat(w).anySatisfy(s -> assertThat(s).contains("slowing its clocks", "SwPowerCap", "HwThermalSlowdown"));
        assertThat(w).anySatisfy(s -> assertThat(s).contains("61440 MiB of 81920 MiB in use"));
        List<String> idle = MachineReports.warnings(new EngineStatus(CU128_ENGINE, null), gpus("13.0", h100(0x1, 0)));
        assertThat(idle).noneSatisfy(s -> assertThat(s).contains("slowing"));
    }

    @Test
    void theReportCarriesEverySection() {
        HostInfo host = new HostInfo("box", "Ubuntu 24.04", "6.8", "amd64", "Xeon", 8, 16, 64L << 30);
        MachineReport report = MachineReports.build(host, JvmInfo.current(), new EngineStatus(CU128_ENGINE, null),
                gpus("13.0", h100(1, 0)));
        assertThat(report.schema()).isEqualTo(1);
        assertThat(report.gpus()).hasSize(1);
        assertThat(report.driverVersion()).isEqualTo("580.159.04");
        String table = MachineReportTable.render(report);
        assertThat(table).contains("NVIDIA H100 80GB HBM3", "0.0/80.0 GiB", "70/700 W", "1980 (1980) MHz", "GpuIdle",
                "PyTorch 2.7.1 (cu128)", "Warnings");
    }
}
