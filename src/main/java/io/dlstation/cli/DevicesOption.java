package io.dlstation.cli;

import ai.djl.Device;
import io.dlstation.engine.DeviceList;
import io.dlstation.error.DlstationException;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --devices gpu:0,gpu:1|all}: the verbs that can spread work over several GPUs of this machine
 * (train, bench train). It stands instead of {@code --device}: naming both is an error.
 */
final class DevicesOption {
    @Option(names = "--devices", paramLabel = "gpu:0,gpu:1|all",
            description = "Several devices at once, data parallel: a comma-separated list or 'all' (every GPU). "
                    + "Instead of --device.")
    String devices;

    /** The parsed list, or null when the flag is absent; makes {@code engine} start a matching libtorch. */
    DeviceList apply(EngineOptions engine) {
        if (devices == null) {
            return null;
        }
        if (engine.device != null) {
            throw DlstationException.badInput("--device " + engine.device + " and --devices " + devices
                    + " both name where to run; keep one");
        }
        DeviceList list = DeviceList.parse("--devices", devices);
        engine.device = list.engineSpec().toString();
        return list;
    }

    /** The devices to run on: the list resolved against the started engine, else the one device it chose. */
    static List<Device> resolve(DeviceList list, StartedEngine started) {
        List<Device> devices = list == null ? List.of(started.device())
                : list.resolve(started.survey().report().engine().gpuCount());
        started.limitMemory(devices);
        return devices;
    }
}
