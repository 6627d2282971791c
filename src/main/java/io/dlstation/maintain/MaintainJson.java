package io.dlstation.maintain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dlstation.error.InternalNames;

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
        } catch (JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Why a maintenance file does not read, for its damaged-file error: where (line and column) and the
     * parser's words when they name nothing of Java's, e.g. "at line 3, column 7: Unexpected end-of-input".
     */
    static String why(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : "at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String what = InternalNames.firstLineOr(e.getOriginalMessage(), "not the JSON expected");
        return where.isEmpty() ? what : where + ": " + what;
    }

    private static ObjectMapper base() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
