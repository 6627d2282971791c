package io.dlstation.gpu;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of NVML ({@code libnvidia-ml.so.1}) the product uses, bound through JNA.
 *
 * <p>Signatures follow {@code nvml.h}; every function returns an {@code nvmlReturn_t}. A function
 * missing from an older driver throws {@link UnsatisfiedLinkError} when called, which callers treat
 * as "not supported".
 */
interface NvmlLibrary extends Library {
    int SUCCESS = 0;
    int ERROR_NOT_SUPPORTED = 3;
    int ERROR_INSUFFICIENT_SIZE = 7;

    int CLOCK_SM = 1;
    int CLOCK_MEM = 2;
    int TEMPERATURE_GPU = 0;

    /** NVML_VALUE_NOT_AVAILABLE for unsigned long long fields. */
    long VALUE_NOT_AVAILABLE = -1L;

    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlSystemGetCudaDriverVersion_v2(IntByReference cudaDriverVersion);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetPciInfo_v3(Pointer device, PciInfo pci);

    int nvmlDeviceGetMemoryInfo_v2(Pointer device, MemoryV2 memory);

    int nvmlDeviceGetMemoryInfo(Pointer device, MemoryV1 memory);

    int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

    int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temp);

    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

    int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference milliwatts);

    int nvmlDeviceGetClockInfo(Pointer device, int clockType, IntByReference mhz);

    int nvmlDeviceGetMaxClockInfo(Pointer device, int clockType, IntByReference mhz);

    int nvmlDeviceGetCurrentClocksEventReasons(Pointer device, LongByReference reasons);

    int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, LongByReference reasons);

    int nvmlDeviceGetCudaComputeCapability(Pointer device, IntByReference major, IntByReference minor);

    int nvmlDeviceGetFanSpeed(Pointer device, IntByReference percent);

    int nvmlDeviceGetPerformanceState(Pointer device, IntByReference pState);

    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference infoCount, ProcessInfo infos);

    int nvmlDeviceGetGraphicsRunningProcesses_v3(Pointer device, IntByReference infoCount, ProcessInfo infos);

    /** {@code nvmlPciInfo_t}. */
    @Structure.FieldOrder({"busIdLegacy", "domain", "bus", "device", "pciDeviceId", "pciSubSystemId", "busId"})
    final class PciInfo extends Structure {
        public byte[] busIdLegacy = new byte[16];
        public int domain;
        public int bus;
        public int device;
        public int pciDeviceId;
        public int pciSubSystemId;
        public byte[] busId = new byte[32];
    }

    /** {@code nvmlMemory_t}. */
    @Structure.FieldOrder({"total", "free", "used"})
    final class MemoryV1 extends Structure {
        public long total;
        public long free;
        public long used;
    }

    /** {@code nvmlMemory_v2_t}; {@code version} must be set before the call. */
    @Structure.FieldOrder({"version", "total", "reserved", "free", "used"})
    final class MemoryV2 extends Structure {
        /** NVML_STRUCT_VERSION(Memory, 2): sizeof(nvmlMemory_v2_t) | 2 << 24. */
        static final int STRUCT_VERSION = 40 | (2 << 24);

        public int version = STRUCT_VERSION;
        public long total;
        public long reserved;
        public long free;
        public long used;
    }

    /** {@code nvmlUtilization_t}. */
    @Structure.FieldOrder({"gpu", "memory"})
    final class Utilization extends Structure {
        public int gpu;
        public int memory;
    }

    /** {@code nvmlProcessInfo_t} as filled by the {@code _v3} process queries. */
    @Structure.FieldOrder({"pid", "usedGpuMemory", "gpuInstanceId", "computeInstanceId"})
    final class ProcessInfo extends Structure {
        public int pid;
        public long usedGpuMemory;
        public int gpuInstanceId;
        public int computeInstanceId;
    }
}
