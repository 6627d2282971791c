package io.dlstation.gpu;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * NVML in memory, for testing {@link NvmlTelemetry} without a driver: devices with settable readings,
 * call counts per function, functions that fail with NOT_SUPPORTED or are missing from the "driver".
 */
final class FakeNvml implements NvmlLibrary {
    /** One fake GPU's readings. */
    static final class Device {
        final Pointer handle;
        String name = "NVIDIA H100 80GB HBM3";
        String uuid;
        int temperature = 40;
        int utilGpu = 10;
        int utilMemory = 5;
        long total = 80L << 30;
        long used = 2L << 30;
        long reserved = 512L << 20;
        int powerMilliwatts = 120_500;
        int limitMilliwatts = 700_000;
        int smClock = 1755;
        int memClock = 2619;
        long reasons = 0x1;
        List<long[]> compute = new ArrayList<>();
        List<long[]> graphics = new ArrayList<>();

        Device(int index) {
            this.handle = new Pointer(0x1000L + index);
            this.uuid = "GPU-fake-" + index;
        }
    }

    final List<Device> devices = new ArrayList<>();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final Set<String> notSupported = ConcurrentHashMap.newKeySet();
    final Set<String> missing = ConcurrentHashMap.newKeySet();

    FakeNvml(int count) {
        for (int i = 0; i < count; i++) {
            devices.add(new Device(i));
        }
    }

    int calls(String function) {
        AtomicInteger n = calls.get(function);
        return n == null ? 0 : n.get();
    }

    /** Counts the call; throws like JNA when the function is "missing"; false when it is "not supported". */
    private boolean enter(String function) {
        calls.computeIfAbsent(function, k -> new AtomicInteger()).incrementAndGet();
        if (missing.contains(function)) {
            throw new UnsatisfiedLinkError("Error looking up function '" + function + "'");
        }
        return !notSupported.contains(function);
    }

    private Device device(Pointer handle) {
        return devices.stream().filter(d -> d.handle.equals(handle)).findFirst().orElseThrow();
    }

    private static int fill(byte[] buffer, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, buffer, 0, bytes.length);
        buffer[bytes.length] = 0;
        return SUCCESS;
    }

    @Override
    public int nvmlInit_v2() {
        return SUCCESS;
    }

    @Override
    public int nvmlShutdown() {
        enter("nvmlShutdown");
        return SUCCESS;
    }

    @Override
    public String nvmlErrorString(int result) {
        return result == ERROR_NOT_SUPPORTED ? "Not Supported" : "Error " + result;
    }

    @Override
    public int nvmlSystemGetDriverVersion(byte[] version, int length) {
        return enter("nvmlSystemGetDriverVersion") ? fill(version, "580.159.04") : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlSystemGetCudaDriverVersion_v2(IntByReference cudaDriverVersion) {
        cudaDriverVersion.setValue(13000);
        return enter("nvmlSystemGetCudaDriverVersion_v2") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetCount_v2(IntByReference deviceCount) {
        enter("nvmlDeviceGetCount_v2");
        deviceCount.setValue(devices.size());
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device) {
        enter("nvmlDeviceGetHandleByIndex_v2");
        device.setValue(devices.get(index).handle);
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetName(Pointer device, byte[] name, int length) {
        return enter("nvmlDeviceGetName") ? fill(name, device(device).name) : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length) {
        return enter("nvmlDeviceGetUUID") ? fill(uuid, device(device).uuid) : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetPciInfo_v3(Pointer device, PciInfo pci) {
        if (!enter("nvmlDeviceGetPciInfo_v3")) {
            return ERROR_NOT_SUPPORTED;
        }
        return fill(pci.busId, String.format("00000000:%02X:00.0", devices.indexOf(device(device)) + 0x18));
    }

    @Override
    public int nvmlDeviceGetMemoryInfo_v2(Pointer device, MemoryV2 memory) {
        if (!enter("nvmlDeviceGetMemoryInfo_v2")) {
            return ERROR_NOT_SUPPORTED;
        }
        Device d = device(device);
        memory.total = d.total;
        memory.used = d.used;
        memory.reserved = d.reserved;
        memory.free = d.total - d.used - d.reserved;
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetMemoryInfo(Pointer device, MemoryV1 memory) {
        if (!enter("nvmlDeviceGetMemoryInfo")) {
            return ERROR_NOT_SUPPORTED;
        }
        Device d = device(device);
        memory.total = d.total;
        memory.used = d.used;
        memory.free = d.total - d.used;
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization) {
        if (!enter("nvmlDeviceGetUtilizationRates")) {
            return ERROR_NOT_SUPPORTED;
        }
        utilization.gpu = device(device).utilGpu;
        utilization.memory = device(device).utilMemory;
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temp) {
        temp.setValue(device(device).temperature);
        return enter("nvmlDeviceGetTemperature") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts) {
        milliwatts.setValue(device(device).powerMilliwatts);
        return enter("nvmlDeviceGetPowerUsage") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference milliwatts) {
        milliwatts.setValue(device(device).limitMilliwatts);
        return enter("nvmlDeviceGetEnforcedPowerLimit") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetClockInfo(Pointer device, int clockType, IntByReference mhz) {
        mhz.setValue(clockType == CLOCK_SM ? device(device).smClock : device(device).memClock);
        return enter("nvmlDeviceGetClockInfo") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetMaxClockInfo(Pointer device, int clockType, IntByReference mhz) {
        mhz.setValue(clockType == CLOCK_SM ? 1980 : 2619);
        return enter("nvmlDeviceGetMaxClockInfo") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetCurrentClocksEventReasons(Pointer device, LongByReference reasons) {
        reasons.setValue(device(device).reasons);
        return enter("nvmlDeviceGetCurrentClocksEventReasons") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, LongByReference reasons) {
        reasons.setValue(device(device).reasons);
        return enter("nvmlDeviceGetCurrentClocksThrottleReasons") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetCudaComputeCapability(Pointer device, IntByReference major, IntByReference minor) {
        major.setValue(9);
        minor.setValue(0);
        return enter("nvmlDeviceGetCudaComputeCapability") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetFanSpeed(Pointer device, IntByReference percent) {
        return enter("nvmlDeviceGetFanSpeed") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetPerformanceState(Pointer device, IntByReference pState) {
        pState.setValue(0);
        return enter("nvmlDeviceGetPerformanceState") ? SUCCESS : ERROR_NOT_SUPPORTED;
    }

    @Override
    public int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference infoCount, ProcessInfo infos) {
        return processes("nvmlDeviceGetComputeRunningProcesses_v3", device(device).compute, infoCount, infos);
    }

    @Override
    public int nvmlDeviceGetGraphicsRunningProcesses_v3(Pointer device, IntByReference infoCount, ProcessInfo infos) {
        return processes("nvmlDeviceGetGraphicsRunningProcesses_v3", device(device).graphics, infoCount, infos);
    }

    /**
     * Like NVML: with too small a count, INSUFFICIENT_SIZE and the count needed; else the entries written
     * into the array's native memory ({pid, usedGpuMemory} per 24-byte entry).
     */
    private int processes(String function, List<long[]> list, IntByReference count, ProcessInfo infos) {
        if (!enter(function)) {
            return ERROR_NOT_SUPPORTED;
        }
        if (count.getValue() < list.size() || infos == null) {
            count.setValue(list.size());
            return list.isEmpty() ? SUCCESS : ERROR_INSUFFICIENT_SIZE;
        }
        Pointer base = infos.getPointer();
        int size = infos.size();
        for (int i = 0; i < list.size(); i++) {
            base.setInt((long) i * size, (int) list.get(i)[0]);
            base.setLong((long) i * size + 8, list.get(i)[1]);
        }
        count.setValue(list.size());
        return SUCCESS;
    }

    /** Commands by pid for the telemetry's /proc lookup, with a count of lookups. */
    static final class Commands implements java.util.function.Function<Long, String> {
        final Map<Long, String> byPid = new HashMap<>();
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public String apply(Long pid) {
            lookups.incrementAndGet();
            return byPid.get(pid);
        }
    }
}
