package io.dlstation.maintain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The JSON of maintenance files (manifests, status, run log) and of {@code dlstation maintain ... --json}:
 * snake_case, nulls left out, newer fields ignored on read.
 */
public final class MaintainJson {
    static final ObjectMapper PRETTY = base().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper LINES = base();

    private MaintainJson() {}

    /** {@code value} as indented JSON. */
    public static String write(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectMapper base() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
