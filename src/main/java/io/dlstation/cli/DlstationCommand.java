package io.dlstation.cli;

import io.dlstation.error.DlstationException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The root command: {@code dlstation VERB ...}. Without a verb it prints usage and exits 2. */
@Command(name = "dlstation", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Deep learning on a GPU workstation, in Java: check the machine, benchmark, train, serve, "
                + "monitor and maintain.",
        commandListHeading = "%nVerbs:%n",
        footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input.",
            "DJL's usage tracking is off (OPT_OUT_TRACKING=true) unless you set OPT_OUT_TRACKING=false."})
final class DlstationCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw DlstationException.badInput("no verb given; try 'dlstation quickstart' or 'dlstation --help'");
    }
}
