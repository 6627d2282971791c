package io.dlstation.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NvmlTelemetry} over an in-memory NVML: decoding, missing sensors, caching, processes. */
class NvmlTelemetryTest {
    private final FakeNvml nvml = new FakeNvml(2);
    private final FakeNvml.Commands commands = new FakeNvml.Commands();
    private final NvmlTelemetry telemetry = new NvmlTelemetry(nvml, commands);

    @Test
    void decodesEveryReading() {
        GpuInventory inventory = telemetry.read();
        assertThat(inventory.nvmlAvailable()).isTrue();
        assertThat(inventory.driverVersion()).isEqualTo("580.159.04");
        assertThat(inventory.cudaDriverVersion()).isEqualTo("13.0");
        assertThat(inventory.devices()).hasSize(2);
        GpuDevice gpu = inventory.devices().get(1);
        assertThat(gpu.index()).isEqualTo(1);
        assertThat(gpu.name()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(gpu.uuid()).isEqualTo("GPU-fake-1");
        assertThat(gpu.pciBusId()).isEqualTo("00000000:19:00.0");
        assertThat(gpu.computeCapability()).isEqualTo("9.0");
        assertThat(gpu.memory()).isEqualTo(new GpuMemory(80L << 30, 2L << 30, (80L << 30) - (2L << 30) - (512L << 20),
                512L << 20));
        assertThat(gpu.utilizationGpuPercent()).isEqualTo(10);
        assertThat(gpu.utilizationMemoryPercent()).isEqualTo(5);
        assertThat(gpu.temperatureCelsius()).isEqualTo(40);
        assertThat(gpu.powerWatts()).isEqualTo(120.5);
        assertThat(gpu.powerLimitWatts()).isEqualTo(700.0);
        assertThat(gpu.smClockMhz()).isEqualTo(1755);
        assertThat(gpu.maxSmClockMhz()).isEqualTo(1980);
        assertThat(gpu.memoryClockMhz()).isEqualTo(2619);
        assertThat(gpu.performanceState()).isZero();
        assertThat(gpu.clocksEventReasonNames()).containsExactly("GpuIdle");
        assertThat(gpu.processes()).isEmpty();
    }

    @Test
    void aFailingOrMissingSensorIsNullAndTheRestStays() {
        nvml.notSupported.add("nvmlDeviceGetTemperature");
        nvml.notSupported.add("nvmlDeviceGetMemoryInfo_v2");
        nvml.missing.add("nvmlDeviceGetCurrentClocksEventReasons");
        nvml.missing.add("nvmlDeviceGetPowerUsage");
        GpuDevice gpu = telemetry.read().devices().get(0);
        assertThat(gpu.temperatureCelsius()).isNull();
        assertThat(gpu.powerWatts()).isNull();
        assertThat(gpu.memory().reservedBytes()).as("v1 fallback").isNull();
        assertThat(gpu.memory().usedBytes()).isEqualTo(2L << 30);
        assertThat(gpu.clocksEventReasons()).as("older driver's throttle reasons").isEqualTo(0x1L);
        assertThat(gpu.fanSpeedPercent()).isEqualTo(0);
        assertThat(gpu.utilizationGpuPercent()).isEqualTo(10);
    }

    @Test
    void readsWhatNeverChangesOnceAndWhatChangesEveryTime() {
        telemetry.read();
        nvml.devices.get(0).temperature = 77;
        nvml.devices.get(0).name = "renamed";
        GpuDevice gpu = telemetry.read().devices().get(0);
        telemetry.read();
        assertThat(gpu.temperatureCelsius()).isEqualTo(77);
        assertThat(gpu.name()).as("cached").isEqualTo("NVIDIA H100 80GB HBM3");
        for (String once : List.of("nvmlDeviceGetName", "nvmlDeviceGetUUID", "nvmlDeviceGetPciInfo_v3",
                "nvmlDeviceGetCudaComputeCapability", "nvmlDeviceGetHandleByIndex_v2")) {
            assertThat(nvml.calls(once)).as(once).isEqualTo(2);
        }
        assertThat(nvml.calls("nvmlSystemGetDriverVersion")).isEqualTo(1);
        assertThat(nvml.calls("nvmlDeviceGetMaxClockInfo")).isEqualTo(4);
        assertThat(nvml.calls("nvmlDeviceGetTemperature")).isEqualTo(6);
        assertThat(nvml.calls("nvmlDeviceGetUtilizationRates")).as("one call for both rates").isEqualTo(6);
    }

    @Test
    void aChangedDeviceCountRereadsEverything() {
        telemetry.read();
        nvml.devices.add(new FakeNvml.Device(2));
        assertThat(telemetry.read().devices()).extracting(GpuDevice::uuid)
                .containsExactly("GPU-fake-0", "GPU-fake-1", "GPU-fake-2");
        assertThat(nvml.calls("nvmlDeviceGetUUID")).isEqualTo(5);
    }

    @Test
    void listsComputeAndGraphicsProcessesOncePerPidWithTheirCommands() {
        FakeNvml.Device d = nvml.devices.get(0);
        d.compute.add(new long[] {4242, 70L << 30});
        d.compute.add(new long[] {4343, NvmlLibrary.VALUE_NOT_AVAILABLE});
        d.graphics.add(new long[] {4242, 1L << 20});
        d.graphics.add(new long[] {99, 64L << 20});
        commands.byPid.put(4242L, "python3 train.py");
        commands.byPid.put(99L, "/usr/lib/xorg/Xorg");
        List<GpuProcess> processes = telemetry.read().devices().get(0).processes();
        assertThat(processes).containsExactly(
                new GpuProcess(4242, 70L << 30, "python3 train.py"),
                new GpuProcess(4343, null, null),
                new GpuProcess(99, 64L << 20, "/usr/lib/xorg/Xorg"));
        telemetry.read();
        assertThat(commands.lookups.get()).as("a command is read once while its process runs").isEqualTo(3);
        d.compute.clear();
        d.graphics.clear();
        telemetry.read();
        d.compute.add(new long[] {4242, 1L << 30});
        telemetry.read();
        assertThat(commands.lookups.get()).as("a pid seen again after a gap is looked up again").isEqualTo(4);
    }

    @Test
    void aDriverWithoutTheProcessQueriesListsNone() {
        nvml.devices.get(0).compute.add(new long[] {4242, 1L << 30});
        nvml.missing.add("nvmlDeviceGetComputeRunningProcesses_v3");
        nvml.missing.add("nvmlDeviceGetGraphicsRunningProcesses_v3");
        assertThat(telemetry.read().devices().get(0).processes()).isEmpty();
    }

    @Test
    void closedTelemetrySaysSo() {
        telemetry.close();
        telemetry.close();
        assertThat(nvml.calls("nvmlShutdown")).isEqualTo(1);
        assertThat(telemetry.read().reason()).isEqualTo("NVML session is closed");
    }
}
