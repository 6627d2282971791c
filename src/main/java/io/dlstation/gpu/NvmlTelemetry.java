package io.dlstation.gpu;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * {@link GpuTelemetry} over NVML. Each field is read on its own: a query the GPU or driver does not
 * support leaves that field null and the rest of the snapshot intact.
 *
 * <p>What cannot change while the driver is loaded (handles, names, UUIDs, PCI ids, compute
 * capability, maximum clocks, driver versions) is read once and kept until the device count changes;
 * the command line of a process is read once while it holds GPU memory. So a sample costs only the
 * queries whose answers change.
 *
 * <p>With several GPUs the devices are read in parallel, one reader thread per device (up to 8):
 * NVML is thread-safe and most of a query's time is spent in the driver, so a sample of eight GPUs
 * costs about as long as one.
 *
 * <p>Thread safety: {@link #read()} and {@link #close()} are synchronized; the caches are concurrent
 * maps, written only by the readers of the current {@link #read()}.
 */
final class NvmlTelemetry implements GpuTelemetry {
    private static final int MAX_READERS = 8;
    private final NvmlLibrary nvml;
    private final Function<Long, String> commandOfPid;
    // @GuardedBy("this")
    private boolean open = true;
    // @GuardedBy("this"): per NVML index, for the current device count
    private final Map<Integer, StaticInfo> statics = new ConcurrentHashMap<>();
    // @GuardedBy("this"): the device count the statics belong to
    private int cachedCount = -1;
    // @GuardedBy("this"): null until read
    private String[] versions;
    // @GuardedBy("this"): pid -> command line (empty when not visible), for the pids of the last read
    private Map<Long, Optional<String>> commands = new ConcurrentHashMap<>();
    // @GuardedBy("this"): reads devices in parallel; null until a read sees more than one device
    private ExecutorService readers;

    /** The answers that stay the same while the driver is loaded. */
    private record StaticInfo(Pointer handle, String name, String uuid, String pciBusId, String computeCapability,
            Integer maxSmClockMhz, Integer maxMemoryClockMhz) {}

    NvmlTelemetry(NvmlLibrary nvml, Function<Long, String> commandOfPid) {
        this.nvml = nvml;
        this.commandOfPid = commandOfPid;
    }

    static GpuTelemetry open(String library) {
        NvmlLibrary nvml;
        try {
            nvml = Native.load(library, NvmlLibrary.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return new UnavailableTelemetry("NVML (" + library + ") could not be loaded: no NVIDIA driver installed, "
                    + "or it is not on the loader path");
        }
        int rc;
        try {
            rc = nvml.nvmlInit_v2();
        } catch (UnsatisfiedLinkError e) {
            return new UnavailableTelemetry(library + " is not a usable NVML library: " + firstLine(e.getMessage()));
        }
        if (rc != NvmlLibrary.SUCCESS) {
            return new UnavailableTelemetry("NVML failed to initialise: " + errorString(nvml, rc)
                    + " (is the NVIDIA kernel driver loaded? try nvidia-smi)");
        }
        return new NvmlTelemetry(nvml, ProcessCommands::commandOf);
    }

    @Override
    public synchronized GpuInventory read() {
        if (!open) {
            return GpuInventory.unavailable("NVML session is closed");
        }
        try {
            IntByReference count = new IntByReference();
            int rc = nvml.nvmlDeviceGetCount_v2(count);
            if (rc != NvmlLibrary.SUCCESS) {
                return GpuInventory.unavailable("NVML could not count devices: " + errorString(nvml, rc));
            }
            if (count.getValue() != cachedCount) {
                statics.clear();
                cachedCount = count.getValue();
            }
            Map<Long, Optional<String>> seen = new ConcurrentHashMap<>();
            List<GpuDevice> devices = readDevices(count.getValue(), seen);
            commands = seen;
            if (versions == null) {
                versions = new String[] {driverVersion(), cudaDriverVersion()};
            }
            return new GpuInventory(versions[0], versions[1], devices, null);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return GpuInventory.unavailable("NVML query failed: " + firstLine(e.getMessage()));
        }
    }

    private List<GpuDevice> readDevices(int count, Map<Long, Optional<String>> seen) {
        List<GpuDevice> devices = new ArrayList<>(count);
        if (count <= 1) {
            for (int i = 0; i < count; i++) {
                devices.add(readDevice(i, seen));
            }
            return devices;
        }
        if (readers == null) {
            readers = Executors.newFixedThreadPool(Math.min(count, MAX_READERS),
                    Thread.ofPlatform().name("dlstation-nvml-", 0).daemon(true).factory());
        }
        List<Future<GpuDevice>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            pending.add(readers.submit(() -> readDevice(index, seen)));
        }
        try {
            for (Future<GpuDevice> device : pending) {
                devices.add(device.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the GPUs", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return devices;
    }

    @Override
    public synchronized void close() {
        if (readers != null) {
            readers.shutdownNow();
        }
        if (open) {
            open = false;
            try {
                nvml.nvmlShutdown();
            } catch (RuntimeException | UnsatisfiedLinkError ignored) {
                // shutting down a broken library has nothing left to report
            }
        }
    }

    private GpuDevice readDevice(int index, Map<Long, Optional<String>> seen) {
        StaticInfo info = statics.get(index);
        if (info == null) {
            PointerByReference ref = new PointerByReference();
            int rc = nvml.nvmlDeviceGetHandleByIndex_v2(index, ref);
            if (rc != NvmlLibrary.SUCCESS) {
                String why = "unreadable: " + errorString(nvml, rc);
                return new GpuDevice(index, why, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null, List.of(), List.of());
            }
            info = staticInfo(ref.getValue());
            statics.put(index, info);
        }
        Pointer h = info.handle();
        Long reasons = clocksEventReasons(h);
        NvmlLibrary.Utilization utilization = utilization(h);
        return new GpuDevice(
                index,
                info.name(),
                info.uuid(),
                info.pciBusId(),
                info.computeCapability(),
                memory(h),
                utilization == null ? null : utilization.gpu,
                utilization == null ? null : utilization.memory,
                intValue(r -> nvml.nvmlDeviceGetTemperature(h, NvmlLibrary.TEMPERATURE_GPU, r)),
                intValue(r -> nvml.nvmlDeviceGetFanSpeed(h, r)),
                intValue(r -> nvml.nvmlDeviceGetPerformanceState(h, r)),
                watts(intValue(r -> nvml.nvmlDeviceGetPowerUsage(h, r))),
                watts(intValue(r -> nvml.nvmlDeviceGetEnforcedPowerLimit(h, r))),
                intValue(r -> nvml.nvmlDeviceGetClockInfo(h, NvmlLibrary.CLOCK_SM, r)),
                intValue(r -> nvml.nvmlDeviceGetClockInfo(h, NvmlLibrary.CLOCK_MEM, r)),
                info.maxSmClockMhz(),
                info.maxMemoryClockMhz(),
                reasons,
                reasons == null ? List.of() : ClocksEventReasons.names(reasons),
                processes(h, seen));
    }

    private StaticInfo staticInfo(Pointer h) {
        return new StaticInfo(h,
                string(b -> nvml.nvmlDeviceGetName(h, b, b.length), 96),
                string(b -> nvml.nvmlDeviceGetUUID(h, b, b.length), 96),
                pciBusId(h),
                computeCapability(h),
                intValue(r -> nvml.nvmlDeviceGetMaxClockInfo(h, NvmlLibrary.CLOCK_SM, r)),
                intValue(r -> nvml.nvmlDeviceGetMaxClockInfo(h, NvmlLibrary.CLOCK_MEM, r)));
    }

    private String driverVersion() {
        return string(b -> nvml.nvmlSystemGetDriverVersion(b, b.length), 80);
    }

    private String cudaDriverVersion() {
        Integer code = intValue(nvml::nvmlSystemGetCudaDriverVersion_v2);
        return code == null ? null : CudaVersions.fromCode(code);
    }

    private String pciBusId(Pointer h) {
        NvmlLibrary.PciInfo pci = new NvmlLibrary.PciInfo();
        return call(() -> nvml.nvmlDeviceGetPciInfo_v3(h, pci)) ? cString(pci.busId) : null;
    }

    private String computeCapability(Pointer h) {
        IntByReference major = new IntByReference();
        IntByReference minor = new IntByReference();
        return call(() -> nvml.nvmlDeviceGetCudaComputeCapability(h, major, minor))
                ? major.getValue() + "." + minor.getValue()
                : null;
    }

    private GpuMemory memory(Pointer h) {
        NvmlLibrary.MemoryV2 v2 = new NvmlLibrary.MemoryV2();
        if (call(() -> nvml.nvmlDeviceGetMemoryInfo_v2(h, v2))) {
            return new GpuMemory(v2.total, v2.used, v2.free, v2.reserved);
        }
        NvmlLibrary.MemoryV1 v1 = new NvmlLibrary.MemoryV1();
        if (call(() -> nvml.nvmlDeviceGetMemoryInfo(h, v1))) {
            return new GpuMemory(v1.total, v1.used, v1.free, null);
        }
        return null;
    }

    private NvmlLibrary.Utilization utilization(Pointer h) {
        NvmlLibrary.Utilization u = new NvmlLibrary.Utilization();
        return call(() -> nvml.nvmlDeviceGetUtilizationRates(h, u)) ? u : null;
    }

    private Long clocksEventReasons(Pointer h) {
        LongByReference mask = new LongByReference();
        if (call(() -> nvml.nvmlDeviceGetCurrentClocksEventReasons(h, mask))) {
            return mask.getValue();
        }
        if (call(() -> nvml.nvmlDeviceGetCurrentClocksThrottleReasons(h, mask))) {
            return mask.getValue();
        }
        return null;
    }

    /** Compute and graphics processes, one entry per pid; the command line comes from the cache when known. */
    private List<GpuProcess> processes(Pointer h, Map<Long, Optional<String>> seen) {
        Map<Long, Long> usedByPid = new LinkedHashMap<>();
        for (ProcessQuery query : new ProcessQuery[] {
            nvml::nvmlDeviceGetComputeRunningProcesses_v3, nvml::nvmlDeviceGetGraphicsRunningProcesses_v3}) {
            for (NvmlLibrary.ProcessInfo info : runningProcesses(h, query)) {
                long pid = Integer.toUnsignedLong(info.pid);
                Long used = info.usedGpuMemory == NvmlLibrary.VALUE_NOT_AVAILABLE ? null : info.usedGpuMemory;
                usedByPid.merge(pid, used == null ? Long.MIN_VALUE : used, Math::max);
            }
        }
        List<GpuProcess> processes = new ArrayList<>(usedByPid.size());
        usedByPid.forEach((pid, used) -> {
            Optional<String> command = seen.computeIfAbsent(pid, p -> {
                Optional<String> known = commands.get(p);
                return known != null ? known : Optional.ofNullable(commandOfPid.apply(p));
            });
            processes.add(new GpuProcess(pid, used == Long.MIN_VALUE ? null : used, command.orElse(null)));
        });
        return processes;
    }

    private interface ProcessQuery {
        int invoke(Pointer device, IntByReference count, NvmlLibrary.ProcessInfo infos);
    }

    /** One process query: ask for the count, then fill an array; empty on any error. */
    private static List<NvmlLibrary.ProcessInfo> runningProcesses(Pointer h, ProcessQuery query) {
        try {
            IntByReference count = new IntByReference(0);
            int rc = query.invoke(h, count, null);
            if (rc == NvmlLibrary.SUCCESS || count.getValue() == 0 || rc != NvmlLibrary.ERROR_INSUFFICIENT_SIZE) {
                return List.of();
            }
            // Room for processes that start between the two calls.
            int capacity = count.getValue() + 8;
            NvmlLibrary.ProcessInfo first = new NvmlLibrary.ProcessInfo();
            NvmlLibrary.ProcessInfo[] infos = (NvmlLibrary.ProcessInfo[]) first.toArray(capacity);
            count.setValue(capacity);
            if (query.invoke(h, count, infos[0]) != NvmlLibrary.SUCCESS) {
                return List.of();
            }
            List<NvmlLibrary.ProcessInfo> filled = new ArrayList<>(count.getValue());
            for (int i = 0; i < Math.min(count.getValue(), capacity); i++) {
                infos[i].read();
                filled.add(infos[i]);
            }
            return filled;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return List.of();
        }
    }

    private interface NvmlCall {
        int invoke();
    }

    private interface IntQuery {
        int invoke(IntByReference out);
    }

    private interface StringQuery {
        int invoke(byte[] buffer);
    }

    /** Runs one NVML query; false on any error or when the driver lacks the function. */
    private static boolean call(NvmlCall call) {
        try {
            return call.invoke() == NvmlLibrary.SUCCESS;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static Integer intValue(IntQuery query) {
        IntByReference out = new IntByReference();
        return call(() -> query.invoke(out)) ? out.getValue() : null;
    }

    private static String string(StringQuery query, int size) {
        byte[] buffer = new byte[size];
        return call(() -> query.invoke(buffer)) ? cString(buffer) : null;
    }

    private static Double watts(Integer milliwatts) {
        return milliwatts == null ? null : Integer.toUnsignedLong(milliwatts) / 1000.0;
    }

    static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static String errorString(NvmlLibrary nvml, int rc) {
        try {
            return nvml.nvmlErrorString(rc) + " (NVML error " + rc + ")";
        } catch (UnsatisfiedLinkError e) {
            return "NVML error " + rc;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
