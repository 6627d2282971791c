package io.dlstation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A dlstation.yaml of the wrong shape is refused in the YAML's terms: the file, the line and column, the
 * field path, what the field takes and what is written there; never a Java type.
 */
class ConfigShapeErrorsTest {
    /** Java and library names: a qualified or member name, a package, an exception type. */
    private static final Pattern INTERNALS =
            Pattern.compile("[A-Za-z]+\\.[A-Z][A-Za-z]+|java\\.|com\\.fasterxml|org\\.eclipse|Exception");
    private static final String RULE = "monitor:\n  rules:\n    - metric: gpu_temperature_celsius\n      op: '>'\n";
    private static final String RULE_FIELDS = "a mapping with fields name, metric, op, threshold, for, severity, "
            + "hysteresis, gpus";

    @TempDir
    Path tmp;

    static Stream<Arguments> wrongShapes() {
        return Stream.of(
                Arguments.of("text for a list of rules", "monitor:\n  rules: hello\n", new String[] {"line 2, column 10",
                    "field 'monitor.rules' must be a list of rules, each " + RULE_FIELDS, "found text 'hello'"}),
                Arguments.of("a mapping for a list of rules", "monitor:\n  rules: {metric: gpu_slowdown}\n",
                        new String[] {"line 2, column 10", "field 'monitor.rules' must be a list of rules",
                            "found a mapping"}),
                Arguments.of("text for a rule", "monitor:\n  rules:\n    - hello\n", new String[] {"line 3, column 7",
                    "field 'monitor.rules[0]' must be " + RULE_FIELDS, "found text 'hello'"}),
                Arguments.of("an empty rule", "monitor:\n  rules: [~]\n", new String[] {"line 2, column 11",
                    "field 'monitor.rules[0]' must be " + RULE_FIELDS, "found nothing"}),
                Arguments.of("text for a number", RULE + "      threshold: hot\n", new String[] {"line 5, column 18",
                    "field 'monitor.rules[0].threshold' must be a number", "found text 'hot'"}),
                Arguments.of("text for a whole number", "serve:\n  port: http\n", new String[] {"line 2, column 9",
                    "field 'serve.port' must be a whole number", "found text 'http'"}),
                Arguments.of("a whole number too large", "serve:\n  port: 99999999999\n", new String[] {"line 2",
                    "field 'serve.port' must be a whole number from -2147483648 to 2147483647",
                    "found the number 99999999999"}),
                Arguments.of("text for true or false", "monitor:\n  notifiers:\n    stderr: maybe\n",
                        new String[] {"line 3, column 13", "field 'monitor.notifiers.stderr' must be true or false",
                            "found text 'maybe'"}),
                Arguments.of("a list for a duration", "monitor:\n  interval: [5s]\n", new String[] {"line 2, column 13",
                    "field 'monitor.interval' must be a duration such as 500ms, 5s, 1m, 2h or 1d", "found a list"}),
                Arguments.of("text for the webhook's mapping", "monitor:\n  notifiers:\n    webhook: http://x\n",
                        new String[] {"line 3, column 14", "field 'monitor.notifiers.webhook' must be a mapping with "
                            + "fields url, timeout, max_attempts, queue_capacity", "found text 'http://x'"}),
                Arguments.of("text for a list of folders", "maintenance:\n  retention:\n    logs: {folders: /l, max_age: 1d}\n",
                        new String[] {"line 3, column 21", "field 'maintenance.retention.logs.folders' must be a list "
                            + "of folders, each a path", "found text '/l'"}),
                Arguments.of("a list for the tasks", "maintenance:\n  retention: [logs]\n", new String[] {"line 2",
                    "field 'maintenance.retention' must be a mapping from names to a mapping with fields folders",
                    "found a list"}),
                Arguments.of("a number for a section", "monitor: 5\n", new String[] {"line 1, column 10",
                    "field 'monitor' must be a mapping with fields interval, rules, notifiers", "found the number 5"}),
                Arguments.of("a list for the file", "- engine\n- monitor\n", new String[] {"line 1, column 1",
                    "the file must be a mapping with fields engine, monitor, maintenance, serve", "found a list"}),
                Arguments.of("an unknown field", RULE + "      threshold: 80\n      colour: red\n", new String[] {
                    "line 6, column 7", "unknown field 'monitor.rules[0].colour'",
                    "known fields here: for, gpus, hysteresis, metric, name, op, severity, threshold"}),
                Arguments.of("a wrong enum value", RULE + "      threshold: 80\n      severity: loud\n", new String[] {
                    "line 6, column 17", "field 'monitor.rules[0].severity'",
                    "unknown severity 'loud'; use info, warning or critical"}),
                Arguments.of("a list for an enum", "monitor:\n  rules:\n    - metric: [gpu_slowdown]\n", new String[] {
                    "line 3, column 15", "field 'monitor.rules[0].metric' must be one of: gpu_temperature_celsius",
                    "host_load_average_1m", "found a list"}),
                Arguments.of("a key written twice", "engine:\n  device: cpu\nengine:\n  device: gpu\n", new String[] {
                    "line 3", "the key 'engine' is written twice"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongShapes")
    void theMessageSpeaksOfTheYaml(String label, String yaml, String[] fragments) throws IOException {
        Path file = Files.writeString(tmp.resolve("dlstation.yaml"), yaml);
        assertThatThrownBy(() -> ConfigLoader.read(file))
                .isInstanceOf(DlstationException.class)
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageStartingWith("config " + file + " line ")
                .hasMessageContainingAll(fragments)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern(INTERNALS).doesNotContain("\n")
                        .doesNotContain("`"));
    }

    @Test
    void aFileThatIsNotUtf8SaysSo() throws IOException {
        byte[] latin1 = "engine:\n  device: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(tmp.resolve("dlstation.yaml"), latin1);
        assertThatThrownBy(() -> ConfigLoader.read(file)).isInstanceOf(DlstationException.class)
                .hasMessage("config " + file + ": not UTF-8 text; save it as UTF-8");
    }
}
