package io.dlstation.cli;

import io.dlstation.config.ConfigLoader;
import io.dlstation.config.DlstationConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every verb takes. */
final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: ./dlstation.yaml when present; env DLSTATION_CONFIG).")
    Path config;

    DlstationConfig load(CliContext context) {
        Path explicit = config;
        if (explicit == null && context.env().get("DLSTATION_CONFIG") != null) {
            explicit = Path.of(context.env().get("DLSTATION_CONFIG"));
        }
        return ConfigLoader.load(explicit, context.workDir());
    }
}
