package io.dlstation.info;

import io.dlstation.engine.EngineBootstrap;
import io.dlstation.engine.EnginePlan;
import io.dlstation.engine.EngineSettings;
import io.dlstation.engine.PyTorchInstallLocator;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.gpu.GpuInventory;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.host.HostProbe;

/**
 * Looks at the whole machine: reads the GPUs, decides which libtorch to load, starts the engine and
 * builds the report. A bad setting (e.g. {@code --pytorch-home} without libtorch) is thrown as a
 * usage error; an engine that fails to start is reported, not thrown.
 */
public final class MachineSurvey {
    private MachineSurvey() {}

    /** What the survey found: the report, and the plan the engine was started from. */
    public record Result(MachineReport report, EnginePlan plan) {

        /** Whether the engine is up and usable. */
        public boolean engineStarted() {
            return report.engine() != null;
        }
    }

    /** Runs the survey with the given telemetry (which the caller owns). */
    public static Result run(EngineSettings settings, GpuTelemetry telemetry, PyTorchInstallLocator locator) {
        GpuInventory before = telemetry.read();
        EnginePlan plan = EnginePlan.decide(settings, before, locator);
        EngineStatus status;
        try {
            status = new EngineStatus(EngineBootstrap.start(plan), null);
        } catch (DlstationException e) {
            if (e.code() == ErrorCode.BAD_INPUT) {
                throw e;
            }
            status = new EngineStatus(null, e.getMessage());
        }
        // Read again: the figures then reflect the machine with the engine loaded.
        GpuInventory after = telemetry.read();
        MachineReport report = MachineReports.build(HostProbe.read(), JvmInfo.current(), status,
                after.nvmlAvailable() || !before.nvmlAvailable() ? after : before);
        return new Result(report, plan);
    }
}
