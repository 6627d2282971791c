package io.dlstation.cli;

import io.dlstation.engine.PyTorchInstallLocator;
import io.dlstation.gpu.GpuTelemetry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** One run of the command line in a test: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    /** Runs {@code args} against {@code context}, collecting both streams. */
    static CliRun of(CliContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.create(context, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** A context with no GPU telemetry, whatever machine runs the tests: the CPU build is chosen. */
    static CliContext withoutGpu(Path workDir) {
        return new CliContext(Map.of(), workDir, new PyTorchInstallLocator(),
                () -> GpuTelemetry.open("libnvidia-ml-absent-in-tests.so.1"));
    }
}
