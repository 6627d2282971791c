package io.dlstation.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

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
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
            throw DlstationException.badInput("config " + file + where(e.getLocation()) + ": unknown field '"
                    + path(e) + "'" + (known.isEmpty() ? "" : "; known fields here: " + known));
        } catch (JsonMappingException e) {
            throw DlstationException.badInput("config " + file + where(e.getLocation()) + ": field '" + path(e)
                    + "': " + cause(e));
        } catch (JsonProcessingException e) {
            throw DlstationException.badInput("config " + file + where(e.getLocation()) + ": not valid YAML ("
                    + e.getOriginalMessage() + ")");
        }
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
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
}
