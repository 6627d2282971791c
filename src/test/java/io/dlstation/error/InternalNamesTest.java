package io.dlstation.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InternalNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "Cannot deserialize value of type `java.util.ArrayList<io.dlstation.config.AlertRuleConfig>`",
        "Non-standard token 'NaN': enable JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS to allow",
        "exceeds the maximum allowed (1000, from StreamReadConstraints.getMaxNestingDepth())",
        "org.eclipse.jetty.http.BadMessageException: 400: Bad Request",
        "java.lang.IllegalStateException",
        "NullPointerException",
        "at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)",
        "Cannot invoke \"String.length()\" because \"<local1>\" is null",
    })
    void namesOfTheInsidesAreFound(String text) {
        assertThat(InternalNames.appearIn(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Ambiguous URI path separator",
        "Invalid Content-Length Value",
        "Internal Server Error",
        "Failed to parse cron expression. Value 25 not in range [0, 23]",
        "found character '\\t(TAB)' that cannot start any token",
        "Nul character not allowed",
        "the request body is not valid JSON at line 1, column 2: an error",
    })
    void plainWordsPass(String text) {
        assertThat(InternalNames.appearIn(text)).isFalse();
    }

    @Test
    void aMessageIsShownOnlyWhenItIsFitForAUser() {
        assertThat(InternalNames.firstLineOr("Connection refused\n\tat somewhere", "no connection"))
                .isEqualTo("Connection refused");
        assertThat(InternalNames.firstLineOr("java.net.ConnectException: refused", "no connection"))
                .isEqualTo("no connection");
        assertThat(InternalNames.firstLineOr(null, "no connection")).isEqualTo("no connection");
        assertThat(InternalNames.firstLineOr("  ", null)).isNull();
    }
}
