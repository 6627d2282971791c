package io.dlstation.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.dlstation.error.DlstationException;
import io.dlstation.error.InternalNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns what Jackson says of a YAML file it could not read into a message about the YAML: the file, the
 * line and column, the field path ({@code monitor.rules[0].threshold}), what the field takes ("a list of
 * rules, each a mapping with fields name, metric, op, ...") and what is written there ("text 'hello'").
 * The product's own validation messages (thrown from a record's constructor or a value's parser) are kept
 * as they are. No message names a Java type.
 */
public final class YamlErrors {
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*?)'");

    private YamlErrors() {}

    /**
     * The error for {@code text} (the file's content), which {@code mapper} could not read as {@code root}.
     *
     * @param file how to name the file, e.g. {@code "config /etc/dlstation.yaml"}
     */
    public static DlstationException of(String file, String text, ObjectMapper mapper, Class<?> root,
            JsonProcessingException e) {
        MarkedYAMLException syntax = syntax(e);
        if (syntax != null) {
            return DlstationException.badInput(file + " line " + (syntax.getProblemMark().getLine() + 1) + ", column "
                    + (syntax.getProblemMark().getColumn() + 1) + ": not valid YAML (" + firstLine(syntax.getProblem()) + ")");
        }
        StreamReadException read = readProblem(e);
        if (read != null || !(e instanceof JsonMappingException mapping)) {
            JsonProcessingException problem = read != null ? read : e;
            String in = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? dotted(steps(m)) : null;
            return DlstationException.badInput(file + where(problem.getLocation()) + ": " + notValid(problem, in));
        }
        return mapping(file, text, mapper, root, mapping);
    }

    /** What a field holds that its record, list or value refused. */
    private static DlstationException mapping(String file, String text, ObjectMapper mapper, Class<?> root,
            JsonMappingException e) {
        List<YamlPositions.Step> path = steps(e);
        String field = dotted(path);
        YamlPositions.Found found = YamlPositions.find(text, path);
        if (e instanceof PropertyBindingException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return DlstationException.badInput(file + (found != null ? found.where(true) : where(tokenLocation(e)))
                    + ": unknown field '" + field + "'" + (known.isEmpty() ? "" : "; known fields here: " + known));
        }
        String at = found != null ? found.where(false) : where(tokenLocation(e));
        DlstationException own = own(e);
        if (own != null) {
            return DlstationException.badInput(file + at + ": " + (path.isEmpty() ? "" : "field '" + field + "': ")
                    + own.getMessage());
        }
        String subject = path.isEmpty() ? "the file" : "field '" + field + "'";
        if (e instanceof ValueInstantiationException && safeCause(e) != null) {
            // a record refused its values with a message of the platform's, not the product's
            return DlstationException.badInput(file + at + ": " + subject + " is not valid: " + safeCause(e));
        }
        ExpectedShape shapes = new ExpectedShape(mapper);
        JavaType type = shapes.typeAt(mapper.constructType(root), path);
        String written = found == null ? null : found.written();
        if (type == null) {
            return DlstationException.badInput(file + at + ": " + subject + " is not valid here"
                    + (written == null ? "" : " (found " + written + ")"));
        }
        String name = path.isEmpty() ? null : path.get(path.size() - 1).key();
        return DlstationException.badInput(file + at + ": " + subject + " must be " + shapes.describe(type, name)
                + range(e) + (written == null ? "" : "; found " + written));
    }

    /** A YAML syntax error, wherever Jackson reported it. */
    private static MarkedYAMLException syntax(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                return yaml;
            }
        }
        return null;
    }

    /**
     * What the parser refused: a key written twice, or its own words when they name nothing of Java's.
     *
     * @param field the field it was reading; null for none known
     */
    private static String notValid(JsonProcessingException e, String field) {
        String message = firstLine(e.getOriginalMessage());
        Matcher duplicate = DUPLICATE.matcher(message);
        if (duplicate.find()) {
            return "the key '" + duplicate.group(1) + "' is written twice in "
                    + (field == null ? "the same mapping" : "'" + field + "'") + "; keep one";
        }
        return "not valid YAML" + (InternalNames.appearIn(message) ? "" : " (" + message + ")")
                + (field == null ? "" : " in '" + field + "'");
    }

    /** What the parser (not the mapping onto records) refused, such as a key written twice; null if nothing. */
    private static StreamReadException readProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamReadException read && !(t instanceof InputCoercionException)) {
                return read;
            }
        }
        return null;
    }

    /** Our own validation's error, from a record's constructor or a value's parser, when that is what failed. */
    private static DlstationException own(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DlstationException d) {
                return d;
            }
        }
        return null;
    }

    /** The innermost cause's message when it names nothing of Java's; null otherwise. */
    private static String safeCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? null : InternalNames.firstLineOr(t.getMessage(), null);
    }

    /** For a whole number too large for its field, the range it takes. */
    private static String range(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InputCoercionException coercion && coercion.getTargetType() != null) {
                Class<?> type = coercion.getTargetType();
                if (type == Integer.TYPE || type == Integer.class) {
                    return " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
                }
                if (type == Long.TYPE || type == Long.class) {
                    return " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
                }
            }
        }
        return "";
    }

    private static List<YamlPositions.Step> steps(JsonMappingException e) {
        List<YamlPositions.Step> steps = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            steps.add(new YamlPositions.Step(ref.getFieldName(), ref.getIndex()));
        }
        return steps;
    }

    /** {@code monitor.rules[0].metric}: fields joined by dots, list indices in brackets. */
    private static String dotted(List<YamlPositions.Step> path) {
        StringBuilder text = new StringBuilder();
        for (YamlPositions.Step step : path) {
            if (step.key() != null) {
                text.append(text.isEmpty() ? "" : ".").append(step.key());
            } else {
                text.append('[').append(step.index()).append(']');
            }
        }
        return text.toString();
    }

    /** Where the offending token starts; the exception's own location is where the parser stopped. */
    private static JsonLocation tokenLocation(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser parser && parser.currentTokenLocation() != null
                && parser.currentTokenLocation().getLineNr() > 0) {
            return parser.currentTokenLocation();
        }
        return e.getLocation();
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr()
                + (location.getColumnNr() < 1 ? "" : ", column " + location.getColumnNr());
    }

    private static String firstLine(String text) {
        String line = text == null ? "" : text.split("\n", 2)[0].strip();
        return line.isEmpty() ? "no detail" : line;
    }
}
