package io.dlstation.error;

import java.util.regex.Pattern;

/**
 * Recognises text that names the product's insides: Java and library classes ({@code java.lang.String},
 * {@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}, {@code StreamReadConstraints.getMaxNestingDepth()}),
 * exception names and package names. Messages that come from a library are checked with it before a user
 * sees them; one that fails is replaced by the product's own words.
 */
public final class InternalNames {
    private static final Pattern NAMES = Pattern.compile(
            "(?:[A-Za-z_$][\\w$]*\\.)+[A-Z][\\w$]*" // qualified classes, Class.member, Enum.CONSTANT
                    + "|\\b[\\w$]+\\(\\)" // methods
                    + "|\\b(?:java|javax|jdk|sun|com|org|io|ai|picocli)\\.[a-z]" // packages
                    + "|\\b[A-Z]\\w*Exception\\b|\\b[A-Z]\\w+Error\\b" // exception types, not the word "Error"
                    + "|`");

    private InternalNames() {}

    /** Whether {@code text} names a class, method, option or package (null names nothing). */
    public static boolean appearIn(String text) {
        return text != null && NAMES.matcher(text).find();
    }

    /**
     * The first line of {@code text} when it has one that names nothing of the insides, else {@code instead}:
     * for showing a library's message only when it is fit for a user.
     */
    public static String firstLineOr(String text, String instead) {
        String line = text == null ? "" : text.split("\n", 2)[0].strip();
        return line.isEmpty() || appearIn(line) ? instead : line;
    }
}
