package io.dlstation.cli;

import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * Makes the verbs for picocli: those that read the outside world get the {@link CliContext}; picocli's
 * own factory makes the rest (command groups, mixins).
 */
final class VerbFactory implements CommandLine.IFactory {
    /** The verbs made from the context, by class; the maintain verbs are {@link MaintainCommand#verb}'s. */
    private static final Map<Class<?>, Function<CliContext, Object>> VERBS = Map.of(
            InfoCommand.class, InfoCommand::new,
            QuickstartCommand.class, QuickstartCommand::new,
            TrainCommand.class, TrainCommand::new,
            BenchCommand.Train.class, BenchCommand.Train::new,
            BenchCommand.Infer.class, BenchCommand.Infer::new,
            ServeCommand.class, ServeCommand::new,
            BenchServeCommand.class, BenchServeCommand::new,
            MonitorCommand.class, MonitorCommand::new);

    private final CliContext context;
    private final CommandLine.IFactory defaults = CommandLine.defaultFactory();

    VerbFactory(CliContext context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        Function<CliContext, Object> verb = VERBS.get(type);
        if (verb != null) {
            return type.cast(verb.apply(context));
        }
        Object maintain = MaintainCommand.verb(type, context);
        if (maintain != null) {
            return type.cast(maintain);
        }
        return defaults.create(type);
    }
}
