package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import io.dlstation.serve.ServeFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error answer is JSON {@code {"code", "error", "message"}} in the product's words: malformed
 * bodies, and what Jetty refuses before the handler runs (sent over raw sockets, as a client library
 * would not send them). No message names a Java or library class, option or package.
 */
class ServeErrorAnswersTest {
    /** Java and library names: a qualified or member name, a package, an exception type. */
    private static final Pattern INTERNALS =
            Pattern.compile("[A-Za-z]+\\.[A-Z][A-Za-z]+|java\\.|com\\.fasterxml|org\\.eclipse|Exception");
    private static final int DEPTH = StreamReadConstraints.defaults().getMaxNestingDepth();

    @TempDir
    static Path repository;

    private static ModelServer server;
    private static HttpCalls http;

    @BeforeAll
    static void start() {
        ServeFixtures.startCpuEngine();
        ServeFixtures.tinyCnn(repository, "tiny", "max_batch_size: 4\nmax_batch_delay_ms: 1\nwarmup_batches: 0\n");
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 1 << 20, 429, 1, null, Duration.ofSeconds(10));
        server = CpuServers.started(settings, repository);
        http = new HttpCalls(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A JSON error body with the status, its code, and a message holding every fragment and no internals. */
    private static void assertError(int status, String contentType, JsonNode body, int expectedStatus, String code,
            String... fragments) {
        assertThat(status).as(body.toString()).isEqualTo(expectedStatus);
        assertThat(contentType).startsWith("application/json");
        assertThat(body.get("code").asText()).isEqualTo(code);
        String message = body.get("message").asText();
        assertThat(body.get("error").asText()).isEqualTo(message);
        assertThat(message).doesNotContainPattern(INTERNALS).doesNotContain("<");
        if (fragments.length > 0) {
            assertThat(message).contains(fragments);
        }
    }

    private static void assertError(HttpCalls.Answer a, int status, String code, String... fragments) {
        assertError(a.status(), a.header("Content-Type"), a.json(), status, code, fragments);
    }

    private static void assertError(RawHttp.Answer a, int status, String code, String... fragments) {
        assertError(a.status(), a.header("Content-Type"), a.json(), status, code, fragments);
    }

    private static String input(String shape, String data) {
        return "{\"inputs\": [{\"name\": \"input\", \"shape\": " + shape + ", \"datatype\": \"FP32\", \"data\": "
                + data + "}]}";
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("truncated", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3",
                        List.of("not valid JSON at line 1, column 45", "the body ends before the JSON is complete",
                                "array opened at line 1, column 40 is not closed")),
                Arguments.of("NaN", input("[1, 1]", "[NaN, 1]"),
                        List.of("at line 1, column", "NaN and Infinity are not allowed in JSON numbers", "'NaN'")),
                Arguments.of("Infinity", input("[1, 1]", "[1, -Infinity]"),
                        List.of("NaN and Infinity are not allowed in JSON numbers", "'-Infinity'")),
                Arguments.of("nested too deep", input("[1]", "[".repeat(DEPTH + 10) + "1" + "]".repeat(DEPTH + 10)),
                        List.of("nested more than " + DEPTH + " levels deep")),
                Arguments.of("unexpected character", "{\"inputs\": [{name: 1}]}",
                        List.of("at line 1, column 14", "unexpected character 'n' where a field name in double quotes "
                                + "should be", "send a JSON object")),
                Arguments.of("a bare word", "{\"inputs\": tru}", List.of("'tru' is not a JSON value")),
                Arguments.of("on line 3", "{\n  \"inputs\": [\n    {\"name\": \"input\",, }\n  ]\n}",
                        List.of("at line 3, column 22", "unexpected character ','")),
                Arguments.of("an array body", "[1, 2]", List.of("the request body must be a JSON object, not an array")),
                Arguments.of("inputs as text", "{\"inputs\": \"hello\"}", List.of("inputs must be a JSON array, not a string")),
                Arguments.of("a number as name", "{\"inputs\": [{\"name\": 7}]}",
                        List.of("inputs[0].name must be a string, not a number")),
                Arguments.of("shape as text", input("[\"one\"]", "[1]"),
                        List.of("inputs[0].shape must list whole numbers of 0 or more")),
                Arguments.of("text as data", input("[1, 1]", "[\"a\", 1]"), List.of("inputs[0] ('input').data holds a string")),
                Arguments.of("a huge whole number", input("[1, 1]", "[123456789012345678901234567890, 1]"),
                        List.of("inputs[0] ('input').data holds the number 123456789012345678901234567890",
                                "out of range")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformedInferenceBodiesAre400InProductWords(String label, String body, List<String> fragments) {
        assertError(http.post("/v2/models/tiny/infer", body), 400, "BAD_INPUT", fragments.toArray(String[]::new));
    }

    @Test
    void malformedPredictBodiesAre400InProductWords() {
        assertError(http.post("/predict", "{\"data\": [1, 2,"), 400, "BAD_INPUT", "not valid JSON at line 1, column 16",
                "the body ends before the JSON is complete", "{\"data\": [...]}");
        assertError(http.post("/predict", "{\"data\": [NaN]}"), 400, "BAD_INPUT",
                "NaN and Infinity are not allowed in JSON numbers");
        assertError(http.post("/predict", "{\"data\": " + "[".repeat(DEPTH + 1) + "]".repeat(DEPTH + 1) + "}"), 400,
                "BAD_INPUT", "nested more than " + DEPTH + " levels deep");
    }

    @Test
    void anEncodedSlashInThePathIsA400NamingThePath() {
        RawHttp.Answer a = RawHttp.send(server.port(), "POST /v2/models/..%2F..%2Fetc/infer HTTP/1.1\r\nHost: t\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        assertError(a, 400, "BAD_INPUT", "'/v2/models/..%2F..%2Fetc/infer'", "encodes a '/' as %2F");
    }

    @Test
    void dotSegmentsAreResolvedOrRefusedNeverServedAsHtml() {
        RawHttp.Answer inside = RawHttp.send(server.port(), "GET /v2/models/tiny/../nope HTTP/1.1\r\nHost: t\r\n"
                + "Connection: close\r\n\r\n");
        assertError(inside, 404, "NOT_FOUND", "model 'nope' is unknown");
        RawHttp.Answer above = RawHttp.send(server.port(), "GET /v2/models/tiny/../../../../etc/passwd HTTP/1.1\r\n"
                + "Host: t\r\nConnection: close\r\n\r\n");
        assertError(above, 400, "BAD_INPUT", "request path", "'..' segments may not climb above the root");
        RawHttp.Answer encodedDots = RawHttp.send(server.port(), "GET /v2/models/%2e%2e/%2e%2e/etc HTTP/1.1\r\n"
                + "Host: t\r\nConnection: close\r\n\r\n");
        assertError(encodedDots, 400, "BAD_INPUT", "'/v2/models/%2e%2e/%2e%2e/etc'", "encoded '.' or '..' segment");
    }

    @Test
    void aNegativeContentLengthIsA400NamingTheHeader() {
        RawHttp.Answer a = RawHttp.send(server.port(), "POST /v2/models/tiny/infer HTTP/1.1\r\nHost: t\r\n"
                + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}");
        assertError(a, 400, "BAD_INPUT", "Content-Length", "byte count");
    }

    @Test
    void anUnknownPathIsA404ListingTheEndpoints() {
        RawHttp.Answer a = RawHttp.send(server.port(), "GET /nowhere HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertError(a, 404, "NOT_FOUND", "no endpoint GET /nowhere", "POST /v2/models/{model}/infer");
    }

    @Test
    void aWrongMethodIsA405WithAllow() {
        RawHttp.Answer delete = RawHttp.send(server.port(), "DELETE /v2/models/tiny HTTP/1.1\r\nHost: t\r\n"
                + "Connection: close\r\n\r\n");
        assertError(delete, 405, "METHOD_NOT_ALLOWED", "method DELETE is not allowed on /v2/models/tiny", "use GET");
        assertThat(delete.header("Allow")).isEqualTo("GET, HEAD");
        HttpCalls.Answer get = http.get("/predict");
        assertError(get, 405, "METHOD_NOT_ALLOWED", "method GET is not allowed on /predict", "use POST");
        assertThat(get.header("Allow")).isEqualTo("POST");
        HttpCalls.Answer infer = http.get("/v2/models/tiny/infer");
        assertError(infer, 405, "METHOD_NOT_ALLOWED", "use POST");
    }

    @Test
    void overLongHeadersAndUrisAre431And414() {
        RawHttp.Answer header = RawHttp.send(server.port(), "GET /v2/health/live HTTP/1.1\r\nHost: t\r\nX-Long: "
                + "a".repeat(20_000) + "\r\n\r\n");
        assertError(header, 431, "HEADERS_TOO_LARGE", "headers are larger than this server reads");
        RawHttp.Answer uri = RawHttp.send(server.port(), "GET /v2/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: t\r\n\r\n");
        assertError(uri, 414, "URI_TOO_LONG", "request line is longer than this server reads");
    }

    @Test
    void whatIsNotHttpIsA400Or505InJson() {
        assertError(RawHttp.send(server.port(), "GET /v2 HTTP/1.1\r\nBad Header: x\r\n\r\n"), 400, "BAD_INPUT",
                "a header holds a character HTTP does not allow");
        assertError(RawHttp.send(server.port(), "GET /v2 HTTP/7.1\r\nHost: t\r\n\r\n"), 505, "UNSUPPORTED",
                "HTTP version is not supported");
        assertError(RawHttp.send(server.port(), "HELLO\r\n\r\n"), 400, "BAD_INPUT", "not valid HTTP/1.1");
    }

    @Test
    void theServerServesOnAfterEveryRefusal() {
        RawHttp.send(server.port(), "POST /v2/models/tiny/infer HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n");
        HttpCalls.Answer meta = http.get("/v2/models/tiny");
        assertThat(meta.status()).isEqualTo(200);
        assertThat(meta.json().get("name").asText()).isEqualTo("tiny");
    }
}
