package io.dlstation.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dlstation.engine.DeviceSpec;
import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads dlstation.yaml. Keys are snake_case ({@code pytorch_home}); unknown keys are errors, so a
 * typo never silently falls back to a default. Every error names the file, the line and the field.
 */
public final class ConfigLoader {
    /** The file read from the working folder when {@code --config} is not given. */
    public static final String DEFAULT_FILE = "dlstation.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION) // a key written twice is an error, not "last wins"
            .registerModule(new SimpleModule("dlstation-values").addDeserializer(DeviceSpec.class, new DeviceSpecText()));

    private ConfigLoader() {}

    /**
     * Loads {@code explicit} if given (it must exist), else {@value #DEFAULT_FILE} in {@code workDir} if
     * present, else the defaults.
     */
    public static DlstationConfig load(Path explicit, Path workDir) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw DlstationException.badInput("--config " + explicit + ": no such file");
            }
            return read(explicit);
        }
        Path implicit = workDir.resolve(DEFAULT_FILE);
        return Files.isRegularFile(implicit) ? read(implicit) : DlstationConfig.defaults();
    }

    /** Parses one file; every problem is a {@link DlstationException} naming file, line and field. */
    public static DlstationConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw DlstationException.badInput("config " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (text.isBlank()) {
            return DlstationConfig.defaults();
        }
        try {
            DlstationConfig config = YAML.readValue(text, DlstationConfig.class);
            return config == null ? DlstationConfig.defaults() : config;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw DlstationException.badInput("config " + file + keyLine(text, e.getPropertyName(), e) + ": unknown field '"
                    + path(e) + "'" + (known.isEmpty() ? "" : "; known fields here: " + known));
        } catch (JsonMappingException e) {
            DlstationException syntax = syntaxError(file, e);
            if (syntax != null) {
                throw syntax;
            }
            throw DlstationException.badInput("config " + file + where(tokenLocation(e)) + ": field '" + path(e)
                    + "': " + cause(e));
        } catch (JsonProcessingException e) {
            DlstationException syntax = syntaxError(file, e);
            throw syntax != null ? syntax : DlstationException.badInput("config " + file + where(e.getLocation())
                    + ": not valid YAML (" + firstLine(e.getOriginalMessage()) + ")");
        }
    }

    /** A YAML syntax error, wherever Jackson reported it, with SnakeYAML's own line and problem. */
    private static DlstationException syntaxError(Path file, Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                return DlstationException.badInput("config " + file + " line " + (yaml.getProblemMark().getLine() + 1)
                        + ": not valid YAML (" + firstLine(yaml.getProblem()) + ")");
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no detail";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /**
     * The line of an unknown key: Jackson's location is where its parser stopped, which in YAML can be a
     * line further on, so take the last line at or before it that holds that key.
     */
    private static String keyLine(String text, String key, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        int limit = location == null || location.getLineNr() < 1 ? Integer.MAX_VALUE : location.getLineNr();
        String[] lines = text.split("\n", -1);
        Pattern keyPattern = Pattern.compile("^\\s*(- )?['\"]?" + Pattern.quote(key) + "['\"]?\\s*:");
        int found = -1;
        for (int i = 0; i < lines.length && i < limit; i++) {
            if (keyPattern.matcher(lines[i]).find()) {
                found = i + 1;
            }
        }
        return found > 0 ? " line " + found : where(location);
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
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }

    /** {@code monitor.rules[0].metric}: fields joined by dots, list indices in brackets. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The innermost message: our own validation's when a record constructor refused a value. */
    private static String cause(JsonMappingException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof DlstationException) {
            return t.getMessage();
        }
        return withoutJavaTypes(e.getOriginalMessage());
    }

    /** Jackson names Java types (`java.lang.Integer`); users wrote YAML, so show the simple name. */
    static String withoutJavaTypes(String message) {
        if (message == null) {
            return "invalid value";
        }
        String simple = message.replaceAll("`(?:[\\w$]+\\.)+([\\w$]+)`", "$1");
        int nl = simple.indexOf('\n');
        return nl < 0 ? simple : simple.substring(0, nl);
    }

    /** Reads {@code device: gpu:1}; a bad value fails at its own line with the accepted forms. */
    private static final class DeviceSpecText extends FromStringDeserializer<DeviceSpec> {
        private static final long serialVersionUID = 1L;

        DeviceSpecText() {
            super(DeviceSpec.class);
        }

        @Override
        protected DeviceSpec _deserialize(String value, DeserializationContext ctxt) throws java.io.IOException {
            try {
                return DeviceSpec.parse(value);
            } catch (DlstationException e) {
                throw new InvalidFormatException(ctxt.getParser(), e.getMessage(), value, DeviceSpec.class);
            }
        }
    }
}
