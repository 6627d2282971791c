package io.dlstation.monitor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds programs the Prometheus tests run (Debian's {@code prometheus} package), or skips them with a reason. */
final class ExternalTools {
    private ExternalTools() {}

    /** The program on PATH (or in /usr/bin), null when absent. */
    static Path path(String program) {
        String pathVariable = System.getenv("PATH");
        String dirs = (pathVariable == null ? "" : pathVariable + File.pathSeparator) + "/usr/bin";
        for (String dir : dirs.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Skips the test with a message when {@code program} is not installed. */
    static void assumeInstalled(String program) {
        assumeTrue(path(program) != null, program + " is not installed, so this test is skipped: "
                + "apt-get install -y prometheus (Debian's package has promtool and prometheus); .ci/run installs it");
    }
}
