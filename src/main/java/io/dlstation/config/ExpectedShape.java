package io.dlstation.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.dlstation.engine.DeviceSpec;
import io.dlstation.maintain.task.AgeLimit;
import io.dlstation.maintain.task.ByteSize;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a field of a YAML file takes, in words for the person writing it ("a list of rules, each a
 * mapping with fields name, metric, op, ..."), from the type Jackson reads it into: records become
 * mappings with their YAML field names, lists and maps say what their items are, enums list their
 * values as written in YAML. Never a Java type name.
 */
final class ExpectedShape {
    private static final Map<Class<?>, String> SCALARS = Map.ofEntries(
            Map.entry(String.class, "text"),
            Map.entry(Boolean.class, "true or false"),
            Map.entry(boolean.class, "true or false"),
            Map.entry(Duration.class, "a duration such as 500ms, 5s, 1m, 2h or 1d"),
            Map.entry(Path.class, "a path"),
            Map.entry(DeviceSpec.class, "a device: auto, cpu, gpu or gpu:N"),
            Map.entry(AgeLimit.class, "an age such as 30d, 12h, 90m or 2w"),
            Map.entry(ByteSize.class, "a size such as 500M, 10G or 1.5T"),
            Map.entry(BigDecimal.class, "a number"),
            Map.entry(BigInteger.class, "a whole number"));

    private final ObjectMapper mapper;

    ExpectedShape(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The type read at {@code path} under {@code root}; null where the path leaves what the types describe. */
    JavaType typeAt(JavaType root, List<YamlPositions.Step> path) {
        JavaType type = root;
        for (YamlPositions.Step step : path) {
            if (type == null) {
                return null;
            }
            if (type.isMapLikeType() && step.key() != null) {
                type = type.getContentType();
            } else if ((type.isCollectionLikeType() || type.isArrayType()) && step.key() == null) {
                type = type.getContentType();
            } else if (step.key() != null && isMapping(type)) {
                type = fields(type).stream().filter(p -> p.getName().equals(step.key()))
                        .map(BeanPropertyDefinition::getPrimaryType).findFirst().orElse(null);
            } else {
                return null;
            }
        }
        return type;
    }

    /**
     * What {@code type} takes, e.g. "a whole number" or "a list of gpus, each a whole number".
     *
     * @param field the field's name, to say "a list of rules" rather than "a list"; null for none
     */
    String describe(JavaType type, String field) {
        Class<?> raw = type.getRawClass();
        if (SCALARS.containsKey(raw)) {
            return SCALARS.get(raw);
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(raw)) {
            return raw == double.class || raw == float.class || raw == Double.class || raw == Float.class
                    ? "a number" : "a whole number";
        }
        if (raw.isEnum()) {
            return "one of: " + enumValues(raw);
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            return (field == null ? "a list" : "a list of " + field) + ", each " + describe(type.getContentType(), null);
        }
        if (type.isMapLikeType()) {
            return "a mapping from names to " + (type.getContentType().getRawClass() == Object.class ? "any values"
                    : describe(type.getContentType(), null));
        }
        if (raw == Object.class) {
            return "any value";
        }
        if (isMapping(type)) {
            return "a mapping with fields " + String.join(", ", fieldNames(type));
        }
        return "text";
    }

    /** The YAML names of the fields a mapping of {@code type} takes, in declaration order. */
    List<String> fieldNames(JavaType type) {
        return fields(type).stream().map(BeanPropertyDefinition::getName).toList();
    }

    /** Whether {@code type} is read from a YAML mapping of named fields (a record). */
    boolean isMapping(JavaType type) {
        return type.getRawClass().isRecord();
    }

    private List<BeanPropertyDefinition> fields(JavaType type) {
        BeanDescription description = mapper.getDeserializationConfig().introspect(type);
        List<BeanPropertyDefinition> fields = new ArrayList<>();
        for (BeanPropertyDefinition p : description.findProperties()) {
            if (p.hasConstructorParameter() || p.hasSetter()) {
                fields.add(p);
            }
        }
        return fields;
    }

    /** An enum's values as written in YAML (what its {@code @JsonValue} gives). */
    private String enumValues(Class<?> type) {
        List<String> values = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            try {
                values.add(String.valueOf(mapper.convertValue(constant, Object.class)));
            } catch (IllegalArgumentException e) {
                values.add(constant.toString());
            }
        }
        return values.stream().collect(Collectors.joining(", "));
    }
}
