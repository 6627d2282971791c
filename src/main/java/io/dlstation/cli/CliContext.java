package io.dlstation.cli;

import io.dlstation.engine.PyTorchInstallLocator;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.time.Ticker;
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
 * @param ticker elapsed time: what the commands measure (a quickstart step, a server's start, a benchmark)
 */
record CliContext(Map<String, String> env, Path workDir, PyTorchInstallLocator locator,
        Supplier<GpuTelemetry> telemetry, Clock clock, Ticker ticker) {

    /** A context on the system clock and ticker. */
    CliContext(Map<String, String> env, Path workDir, PyTorchInstallLocator locator, Supplier<GpuTelemetry> telemetry) {
        this(env, workDir, locator, telemetry, Clock.systemDefaultZone());
    }

    /** A context on {@code clock} and the system's ticker. */
    CliContext(Map<String, String> env, Path workDir, PyTorchInstallLocator locator, Supplier<GpuTelemetry> telemetry,
            Clock clock) {
        this(env, workDir, locator, telemetry, clock, Ticker.system());
    }

    /** The real process environment. */
    static CliContext system() {
        return new CliContext(System.getenv(), Path.of("").toAbsolutePath(), new PyTorchInstallLocator(),
                GpuTelemetry::open);
    }
}
