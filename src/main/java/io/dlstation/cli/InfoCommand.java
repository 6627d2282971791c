package io.dlstation.cli;

import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.info.MachineReportTable;
import io.dlstation.info.MachineSurvey;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlstation info}: GPUs, driver, CUDA, engine and host, and what to fix. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Report GPUs (NVML), driver, CUDA, engine and host, with warnings that say what to fix.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    EngineOptions engine;

    @Option(names = "--json", description = "Print one JSON object (schema 1) instead of a table.")
    boolean json;

    private final CliContext context;

    InfoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        var settings = engine.settings(common.load(context), context.env());
        try (GpuTelemetry telemetry = context.telemetry().get()) {
            MachineSurvey.Result survey = MachineSurvey.run(settings, telemetry, context.locator());
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Json.write(survey.report()) + "\n" : MachineReportTable.render(survey.report()));
            out.flush();
            return 0;
        }
    }
}
