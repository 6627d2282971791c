package io.dlstation.cli;

import io.dlstation.engine.PyTorchInstallLocator;
import io.dlstation.gpu.GpuTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What commands take from the outside world, passed in so tests can supply their own.
 *
 * @param env environment variables
 * @param workDir where dlstation.yaml is looked for
 * @param telemetry opens GPU telemetry (the caller closes it)
 * @param clock the time, and the zone schedules are read in
 */
record CliContext(Map<String, String> env, Path workDir, PyTorchInstallLocator locator,
        Supplier<GpuTelemetry> telemetry, Clock clock) {

    /** A context on the system clock. */
    CliContext(Map<String, String> env, Path workDir, PyTorchInstallLocator locator, Supplier<GpuTelemetry> telemetry) {
        this(env, workDir, locator, telemetry, Clock.systemDefaultZone());
    }

    /** The real process environment. */
    static CliContext system() {
        return new CliContext(System.getenv(), Path.of("").toAbsolutePath(), new PyTorchInstallLocator(),
                GpuTelemetry::open);
    }
}
