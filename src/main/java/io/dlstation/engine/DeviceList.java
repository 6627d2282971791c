package io.dlstation.engine;

import ai.djl.Device;
import io.dlstation.error.DlstationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several devices as the user writes them: {@code all} (every GPU the engine sees, else the CPU) or a
 * comma-separated list of {@link DeviceSpec}s such as {@code gpu:0,gpu:1}.
 *
 * @param flag the option the text came from, for messages (e.g. "--devices")
 */
public record DeviceList(String flag, String text, boolean all, List<DeviceSpec> specs) {

    public DeviceList {
        specs = List.copyOf(specs);
    }

    /** Devices as users read them in logs and reports, e.g. "gpu(0), gpu(1)". */
    public static String label(List<Device> devices) {
        return String.join(", ", devices.stream().map(Device::toString).toList());
    }

    /** Parses {@code all} or a list; empty items and bad devices are errors that name the forms. */
    public static DeviceList parse(String flag, String text) {
        String value = text == null ? "" : text.strip();
        if (value.equalsIgnoreCase("all")) {
            return new DeviceList(flag, value, true, List.of());
        }
        List<DeviceSpec> specs = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            if (item.isBlank()) {
                throw DlstationException.badInput(flag + " '" + text + "' has an empty item; write all, or devices "
                        + "separated by commas, e.g. gpu:0,gpu:1");
            }
            specs.add(DeviceSpec.parse(item));
        }
        return new DeviceList(flag, value, false, specs);
    }

    /**
     * The spec that picks the engine's libtorch: {@code auto} (a GPU build where there is a GPU) when
     * any GPU is named or all are, else the CPU. Which GPUs exist is checked by {@link #resolve}.
     */
    public DeviceSpec engineSpec() {
        boolean gpu = all || specs.stream().anyMatch(s -> s.kind() != DeviceSpec.Kind.CPU);
        return gpu ? DeviceSpec.AUTO : DeviceSpec.CPU;
    }

    /**
     * The devices on an engine that sees {@code gpus} GPUs. A GPU it cannot see, a device named twice
     * and the CPU mixed with GPUs are errors (exit 2) that say what to write instead.
     */
    public List<Device> resolve(int gpus) {
        if (all) {
            List<Device> every = new ArrayList<>();
            for (int i = 0; i < gpus; i++) {
                every.add(Device.gpu(i));
            }
            return every.isEmpty() ? List.of(Device.cpu()) : every;
        }
        List<Device> devices = new ArrayList<>();
        for (DeviceSpec spec : specs) {
            if (spec.kind() == DeviceSpec.Kind.GPU && spec.gpuIndex() >= gpus) {
                throw DlstationException.badInput(String.format(Locale.ROOT, "%s %s: there is no gpu:%d, the engine "
                        + "sees %d GPU(s)%s", flag, text, spec.gpuIndex(), gpus, gpus == 0
                                ? "; run 'dlstation info' to see why, or use cpu"
                                : "; use gpu:0 to gpu:" + (gpus - 1) + ", or all"));
            }
            Device device = spec.resolve(gpus);
            if (devices.contains(device)) {
                throw DlstationException.badInput(flag + " " + text + " names " + device + " twice; name each device once");
            }
            devices.add(device);
        }
        if (devices.size() > 1 && devices.contains(Device.cpu())) {
            throw DlstationException.badInput(flag + " " + text + " mixes the CPU with GPUs; name GPUs only, or cpu alone");
        }
        return devices;
    }
}
