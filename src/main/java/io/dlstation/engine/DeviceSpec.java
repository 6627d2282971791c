package io.dlstation.engine;

import ai.djl.Device;
import io.dlstation.error.DlstationException;
import java.util.Locale;

/**
 * Which device to run on, as the user writes it: {@code auto}, {@code cpu}, {@code gpu} or
 * {@code gpu:N}. {@code auto} means the first GPU the engine sees, else the CPU.
 */
public record DeviceSpec(Kind kind, int gpuIndex) {

    /** The device families a spec can name. */
    public enum Kind { AUTO, CPU, GPU }

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, -1);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, -1);

    public DeviceSpec {
        if (kind == Kind.GPU && gpuIndex < 0) {
            throw DlstationException.badInput("gpu index < 0: " + gpuIndex);
        }
    }

    /** Parses {@code auto|cpu|gpu|gpu:N} (also {@code cuda:N}); a bad value names the accepted forms. */
    public static DeviceSpec parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (value) {
            case "auto", "" -> {
                return AUTO;
            }
            case "cpu" -> {
                return CPU;
            }
            case "gpu", "cuda" -> {
                return new DeviceSpec(Kind.GPU, 0);
            }
            default -> {
                String[] parts = value.split(":", 2);
                if (parts.length == 2 && (parts[0].equals("gpu") || parts[0].equals("cuda"))) {
                    try {
                        int index = Integer.parseInt(parts[1]);
                        if (index >= 0) {
                            return new DeviceSpec(Kind.GPU, index);
                        }
                    } catch (NumberFormatException ignored) {
                        // fall through to the error below
                    }
                }
                throw DlstationException.badInput("device '" + text
                        + "' is not a device; use auto, cpu, gpu or gpu:N (N = 0, 1, ...)");
            }
        }
    }

    /**
     * The DJL device this spec means on an engine that sees {@code engineGpuCount} GPUs; a GPU the
     * engine cannot see is an error that says how many it sees.
     */
    public Device resolve(int engineGpuCount) {
        return switch (kind) {
            case CPU -> Device.cpu();
            case AUTO -> engineGpuCount > 0 ? Device.gpu(0) : Device.cpu();
            case GPU -> {
                if (gpuIndex >= engineGpuCount) {
                    throw new DlstationException(io.dlstation.error.ErrorCode.NOT_FOUND,
                            "--device gpu:" + gpuIndex + ": the engine sees " + engineGpuCount + " GPU(s)"
                                    + (engineGpuCount == 0
                                            ? "; run 'dlstation info' to see why, or use --device cpu"
                                            : "; use gpu:0 to gpu:" + (engineGpuCount - 1)));
                }
                yield Device.gpu(gpuIndex);
            }
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case GPU -> "gpu:" + gpuIndex;
        };
    }
}
