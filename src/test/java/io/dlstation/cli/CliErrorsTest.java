package io.dlstation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.engine.PyTorchInstallLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line prints when something is wrong: the product's words, never a Java class or option. */
class CliErrorsTest {
    /** Java and library names: a qualified or member name, a package, an exception type, a Java type word. */
    private static final Pattern INTERNALS = Pattern.compile(
            "[A-Za-z]+\\.[A-Z][A-Za-z]+|java\\.|com\\.fasterxml|org\\.eclipse|picocli\\.|Exception|\\ban? (int|long|float)\\b");

    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.of(CliRun.withoutGpu(tmp), args);
    }

    @Test
    void badNumbersAndPathsInOptionsAreUsageErrorsInPlainWords() {
        CliRun port = run("serve", "--port", "abc");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("'--port': 'abc' is not a whole number").doesNotContainPattern(INTERNALS);
        CliRun big = run("serve", "--port", "99999999999");
        assertThat(big.err()).contains("'99999999999' is not a whole number from -2147483648 to 2147483647")
                .doesNotContainPattern(INTERNALS);
        CliRun rate = run("train", "--lr", "fast");
        assertThat(rate.exitCode()).isEqualTo(2);
        assertThat(rate.err()).contains("'fast' is not a number").doesNotContainPattern(INTERNALS);
        CliRun path = run("serve", "--model-repository", "a\u0000b");
        assertThat(path.exitCode()).isEqualTo(2);
        assertThat(path.err()).contains("is not a usable path").doesNotContainPattern(INTERNALS);
    }

    @Test
    void aConfigOfTheWrongShapeNamesFileLineFieldAndWhatItTakes() throws IOException {
        Path config = Files.writeString(tmp.resolve("dlstation.yaml"), "monitor:\n  interval: 5s\n  rules: hello\n");
        CliRun r = run("info", "--config", config.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(config.toString(), "line 3, column 10", "field 'monitor.rules'",
                "a list of rules, each a mapping with fields name, metric, op, threshold", "found text 'hello'")
                .doesNotContainPattern(INTERNALS).doesNotContain("ArrayList").doesNotContain("AlertRuleConfig");
    }

    @Test
    void anUnexpectedFailureNamesNoClassAndTellsHowToSeeWhere() {
        CliContext failing = new CliContext(Map.of(), tmp, new PyTorchInstallLocator(), () -> {
            throw new IllegalStateException("handle of java.lang.Object went away");
        });
        CliRun r = CliRun.of(failing, "info", "--device", "cpu");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("dlstation: unexpected failure (a bug: please report it")
                .contains("DLSTATION_DEBUG=1").doesNotContainPattern(INTERNALS).doesNotContain("\tat ");

        CliContext debugging = new CliContext(Map.of(Cli.DEBUG, "1"), tmp, new PyTorchInstallLocator(), () -> {
            throw new IllegalStateException("the telemetry went away");
        });
        CliRun shown = CliRun.of(debugging, "info", "--device", "cpu");
        assertThat(shown.exitCode()).isEqualTo(1);
        assertThat(shown.err()).contains("dlstation: unexpected failure: the telemetry went away (a bug")
                .contains("\tat ");
    }
}
