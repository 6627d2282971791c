package io.dlstation.cli;

import io.dlstation.error.DlstationException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * A verb that is part of the product but not built in this version: it says so and exits 2, whatever
 * arguments it is given.
 */
@Command(mixinStandardHelpOptions = false)
final class PendingCommand implements Callable<Integer> {
    @Unmatched
    List<String> ignored;

    private final String verb;

    PendingCommand(String verb) {
        this.verb = verb;
    }

    @Override
    public Integer call() {
        throw DlstationException.badInput("'dlstation " + verb + "' is not built in this version yet; "
                + "'dlstation --help' lists what is");
    }
}
