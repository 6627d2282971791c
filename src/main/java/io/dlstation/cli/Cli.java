package io.dlstation.cli;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.error.InternalNames;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Builds the {@code dlstation} command line and runs it. The one place that turns exceptions into exit
 * codes: {@link DlstationException} by its {@link ErrorCode}, usage errors 2, anything else 1. What it
 * prints never names a Java class: option values are read by {@link ValueConverters}, and an unexpected
 * failure shows its message only when that names none.
 */
public final class Cli {
    /** The environment variable that, when set, prints the stack trace of an unexpected failure. */
    static final String DEBUG = "DLSTATION_DEBUG";

    private Cli() {}

    /** Runs {@code args} against the real environment and returns the exit code. */
    public static int execute(String... args) {
        return create(CliContext.system(), new PrintWriter(System.out, true), new PrintWriter(System.err, true))
                .execute(args);
    }

    /** The command line for {@code context}, printing to {@code out} and {@code err}. */
    static CommandLine create(CliContext context, PrintWriter out, PrintWriter err) {
        CommandLine cli = verbs(new VerbFactory(context));
        ValueConverters.register(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Cli::usageError);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failure(ex, commandLine, context));
        return cli;
    }

    /** {@code dlstation} and its verbs, in the order the help lists them. */
    private static CommandLine verbs(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(new DlstationCommand(), factory);
        cli.addSubcommand("info", new CommandLine(InfoCommand.class, factory));
        cli.addSubcommand("bench", new CommandLine(BenchCommand.class, factory));
        cli.addSubcommand("train", new CommandLine(TrainCommand.class, factory));
        cli.addSubcommand("serve", new CommandLine(ServeCommand.class, factory));
        cli.addSubcommand("monitor", new CommandLine(MonitorCommand.class, factory));
        cli.addSubcommand("maintain", new CommandLine(MaintainCommand.class, factory));
        cli.addSubcommand("quickstart", new CommandLine(QuickstartCommand.class, factory));
        return cli;
    }

    /** A flag or argument picocli could not read: the problem, suggestions, the usage; exit 2. */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter e = commandLine.getErr();
        e.println("dlstation: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, e);
        e.print(commandLine.getUsageMessage());
        e.flush();
        return ErrorCode.BAD_INPUT.exitCode();
    }

    /** A verb failed: its message (and, for a bug, the stack trace when {@value #DEBUG} is set); its exit code. */
    private static int failure(Exception ex, CommandLine commandLine, CliContext context) {
        commandLine.getErr().println("dlstation: " + message(ex));
        if (!(ex instanceof DlstationException) && context.env().get(DEBUG) != null) {
            ex.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return exitCode(ex);
    }

    static int exitCode(Throwable error) {
        if (error instanceof DlstationException e) {
            return e.code().exitCode();
        }
        return ErrorCode.INTERNAL.exitCode();
    }

    /**
     * What the user is told: a {@link DlstationException}'s message as written; for anything else, its
     * message only when it names no Java class (the stack trace, with {@value #DEBUG} set).
     */
    static String message(Throwable error) {
        if (error instanceof DlstationException) {
            return error.getMessage();
        }
        String detail = InternalNames.firstLineOr(error.getMessage(), null);
        return "unexpected failure" + (detail == null ? "" : ": " + detail)
                + " (a bug: please report it with the command you ran; " + DEBUG + "=1 prints where it happened)";
    }
}
