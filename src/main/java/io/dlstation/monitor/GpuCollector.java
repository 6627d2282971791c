package io.dlstation.monitor;

import io.dlstation.gpu.GpuDevice;
import io.dlstation.gpu.GpuMemory;
import io.dlstation.gpu.GpuProcess;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * GPU gauges under the names, labels and units of NVIDIA's DCGM exporter, so Grafana dashboards made
 * for it work unchanged: {@code DCGM_FI_DEV_GPU_UTIL} (%), {@code DCGM_FI_DEV_FB_USED} (MiB),
 * {@code DCGM_FI_DEV_GPU_TEMP} (C), {@code DCGM_FI_DEV_POWER_USAGE} (W), {@code DCGM_FI_DEV_SM_CLOCK}
 * (MHz), ... with labels {@code gpu}, {@code UUID}, {@code pci_bus_id}, {@code device},
 * {@code modelName}, {@code Hostname}. Also {@code dlstation_gpu_process_memory_used_bytes} per process
 * and {@code dlstation_gpu_telemetry_up}.
 *
 * <p>Values come from the latest snapshot at scrape time; a reading that is missing is left out, as the
 * DCGM exporter does. Register it on any registry (a server can embed it beside its own metrics).
 * Thread safe: it reads an immutable snapshot.
 */
public final class GpuCollector implements MultiCollector {
    private record Field(String name, String help, Function<GpuDevice, Double> value) {}

    private static final List<Field> FIELDS = List.of(
            new Field("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", g -> number(g.utilizationGpuPercent())),
            new Field("DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", g -> number(g.utilizationMemoryPercent())),
            new Field("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", g -> mib(g.memory(), GpuMemory::usedBytes)),
            new Field("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", g -> mib(g.memory(), GpuMemory::freeBytes)),
            new Field("DCGM_FI_DEV_FB_TOTAL", "Framebuffer memory total (in MiB).", g -> mib(g.memory(), GpuMemory::totalBytes)),
            new Field("DCGM_FI_DEV_FB_RESERVED", "Framebuffer memory reserved (in MiB).",
                    g -> mib(g.memory(), GpuMemory::reservedBytes)),
            new Field("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", g -> number(g.temperatureCelsius())),
            new Field("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", GpuDevice::powerWatts),
            new Field("DCGM_FI_DEV_ENFORCED_POWER_LIMIT", "Effective power limit that the driver enforces (in W).",
                    GpuDevice::powerLimitWatts),
            new Field("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", g -> number(g.smClockMhz())),
            new Field("DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).", g -> number(g.memoryClockMhz())),
            new Field("DCGM_FI_DEV_FAN_SPEED", "Fan speed (in %).", g -> number(g.fanSpeedPercent())),
            new Field("DCGM_FI_DEV_PSTATE", "Performance state (P0 = 0 is the fastest).", g -> number(g.performanceState())),
            new Field("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", "Current clock throttle reasons (bitmask of NVML's reasons).",
                    g -> g.clocksEventReasons() == null ? null : (double) g.clocksEventReasons()));

    static final String PROCESS_MEMORY = "dlstation_gpu_process_memory_used_bytes";
    private static final String PROCESS_HELP = "GPU memory used by one process, in bytes.";
    static final String TELEMETRY_UP = "dlstation_gpu_telemetry_up";
    private static final String TELEMETRY_HELP = "1 when NVML answered the last sample, 0 when GPU telemetry is unavailable.";
    private static final String[] GPU_LABELS = {"gpu", "UUID", "pci_bus_id", "device", "modelName", "Hostname"};

    private final Supplier<MonitorSnapshot> latest;

    /** @param latest the snapshot to expose at each scrape; null before the first gives no GPU metric */
    public GpuCollector(Supplier<MonitorSnapshot> latest) {
        this.latest = latest;
    }

    /** Registers a collector over {@code latest} on {@code registry}. */
    public static GpuCollector register(PrometheusRegistry registry, Supplier<MonitorSnapshot> latest) {
        GpuCollector collector = new GpuCollector(latest);
        registry.register(collector);
        return collector;
    }

    @Override
    public MetricSnapshots collect() {
        MonitorSnapshot snapshot = latest.get();
        if (snapshot == null) {
            return new MetricSnapshots();
        }
        List<MetricSnapshot> families = new ArrayList<>();
        for (Field field : FIELDS) {
            Gauges gauges = new Gauges(field.name(), field.help());
            for (GpuDevice gpu : snapshot.gpus()) {
                gauges.add(labels(gpu, snapshot.hostname()), field.value().apply(gpu));
            }
            gauges.addTo(families);
        }
        Gauges processes = new Gauges(PROCESS_MEMORY, PROCESS_HELP);
        for (GpuDevice gpu : snapshot.gpus()) {
            for (GpuProcess p : gpu.processes()) {
                processes.add(Labels.of("gpu", Integer.toString(gpu.index()), "UUID", Gauges.text(gpu.uuid()),
                        "pid", Long.toString(p.pid()), "command", program(p.command())),
                        p.usedBytes() == null ? null : p.usedBytes().doubleValue());
            }
        }
        processes.addTo(families);
        new Gauges(TELEMETRY_UP, TELEMETRY_HELP)
                .add(Labels.EMPTY, snapshot.gpuProblem() == null ? 1.0 : 0.0)
                .addTo(families);
        return new MetricSnapshots(families);
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        List<MetricFamilyDescriptor> families = new ArrayList<>();
        FIELDS.forEach(f -> families.add(Gauges.descriptor(f.name(), f.help(), GPU_LABELS)));
        families.add(Gauges.descriptor(PROCESS_MEMORY, PROCESS_HELP, "gpu", "UUID", "pid", "command"));
        families.add(Gauges.descriptor(TELEMETRY_UP, TELEMETRY_HELP));
        return families;
    }

    /** The DCGM exporter's labels for one GPU. */
    static Labels labels(GpuDevice gpu, String hostname) {
        return Labels.of(GPU_LABELS, new String[] {Integer.toString(gpu.index()), Gauges.text(gpu.uuid()),
            Gauges.text(gpu.pciBusId()), "nvidia" + gpu.index(), Gauges.text(gpu.name()), Gauges.text(hostname)});
    }

    /** The program of a command line, without its folder or arguments: a label of bounded variety. */
    static String program(String command) {
        if (command == null || command.isBlank()) {
            return "";
        }
        String first = command.strip().split("\\s+", 2)[0];
        int slash = first.lastIndexOf('/');
        String name = slash >= 0 ? first.substring(slash + 1) : first;
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static Double number(Integer value) {
        return value == null ? null : value.doubleValue();
    }

    private static Double mib(GpuMemory memory, Function<GpuMemory, Long> bytes) {
        if (memory == null) {
            return null;
        }
        Long value = bytes.apply(memory);
        return value == null ? null : (double) (value >> 20);
    }
}
