package io.dlstation.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads option values into numbers and paths, with errors in the product's words ("'abc' is not a whole
 * number") where picocli's own converters name Java types ("is not an int", "cannot convert 'x' to
 * interface java.nio.file.Path").
 */
final class ValueConverters {
    private static final String WHOLE = "-?\\d+";

    private ValueConverters() {}

    /** Registers the converters on {@code cli} and every subcommand it has. */
    static void register(CommandLine cli) {
        ITypeConverter<Integer> ints = text -> whole(text, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer::valueOf);
        ITypeConverter<Long> longs = text -> whole(text, Long.MIN_VALUE, Long.MAX_VALUE, Long::valueOf);
        ITypeConverter<Double> doubles = text -> number(text, Double::valueOf);
        ITypeConverter<Float> floats = text -> number(text, Float::valueOf);
        cli.registerConverter(Integer.class, ints);
        cli.registerConverter(Integer.TYPE, ints);
        cli.registerConverter(Long.class, longs);
        cli.registerConverter(Long.TYPE, longs);
        cli.registerConverter(Double.class, doubles);
        cli.registerConverter(Double.TYPE, doubles);
        cli.registerConverter(Float.class, floats);
        cli.registerConverter(Float.TYPE, floats);
        cli.registerConverter(Path.class, ValueConverters::path);
    }

    private static <T> T whole(String text, long min, long max, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a whole number"
                    + (text.strip().matches(WHOLE) ? " from " + min + " to " + max : ""));
        }
    }

    private static <T> T number(String text, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a number");
        }
    }

    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + text + "' is not a usable path (" + e.getReason() + ")");
        }
    }
}
