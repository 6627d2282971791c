package io.dlstation.cli;

import ai.djl.Device;
import io.dlstation.engine.EngineBootstrap;
import io.dlstation.engine.EngineSettings;
import io.dlstation.engine.GpuMemory;
import java.util.List;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.info.MachineSurvey;

/**
 * The engine started for a command that computes (bench, train): the machine's survey and the device
 * the work runs on. A command that cannot run without the engine gets one clear error when it does not
 * start.
 */
record StartedEngine(MachineSurvey.Result survey, Device device, Double memoryFraction) {

    /** Surveys the machine, starts the engine and resolves the device, or fails naming why. */
    static StartedEngine start(EngineSettings settings, GpuTelemetry telemetry, CliContext context) {
        MachineSurvey.Result survey = MachineSurvey.run(settings, telemetry, context.locator());
        if (!survey.engineStarted()) {
            throw new DlstationException(ErrorCode.INTERNAL, "the engine did not start: "
                    + String.join("; ", survey.report().warnings()) + " (run 'dlstation info')");
        }
        EngineBootstrap.applyCudaSettings(settings);
        StartedEngine started = new StartedEngine(survey, settings.device().resolve(
                survey.report().engine().gpuCount()), settings.memoryFraction());
        started.limitMemory(List.of(started.device()));
        return started;
    }

    /** Caps the allocator of each of {@code devices} at the memory fraction asked for, if any. */
    void limitMemory(List<Device> devices) {
        if (memoryFraction != null) {
            devices.forEach(d -> GpuMemory.limit(d, memoryFraction));
        }
    }
}
