package io.dlstation.maintain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The JSON of this package's files (manifests, status, run log): snake_case, newer fields ignored on read. */
final class MaintainJson {
    static final ObjectMapper PRETTY = base().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper LINES = base();

    private MaintainJson() {}

    private static ObjectMapper base() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
