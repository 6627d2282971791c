package io.dlstation.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dlstation.engine.DeviceSpec;
import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads dlstation.yaml. Keys are snake_case ({@code pytorch_home}); unknown keys are errors, so a
 * typo never silently falls back to a default. Every error names the file, the line and column, the
 * field and what it takes ({@link YamlErrors}).
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

    static {
        // an empty list item ("- " or "[~]") is an error at its own line, not a null for the record to trip on
        YAML.configOverride(List.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
    }

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

    /** Parses one file; every problem is a {@link DlstationException} naming file, line, field and what it takes. */
    public static DlstationConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw DlstationException.badInput("config " + file + ": not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw DlstationException.badInput("config " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (text.isBlank()) {
            return DlstationConfig.defaults();
        }
        try {
            DlstationConfig config = YAML.readValue(text, DlstationConfig.class);
            return config == null ? DlstationConfig.defaults() : config;
        } catch (JsonProcessingException e) {
            throw YamlErrors.of("config " + file, text, YAML, DlstationConfig.class, e);
        }
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
                InvalidFormatException invalid = new InvalidFormatException(ctxt.getParser(), e.getMessage(), value,
                        DeviceSpec.class);
                invalid.initCause(e); // the message for the user is ours
                throw invalid;
            }
        }
    }
}
