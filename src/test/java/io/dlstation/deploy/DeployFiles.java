package io.dlstation.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shipped deployment files under {@code deploy/}, and the programs the tests check them with. */
final class DeployFiles {
    /** The {@code deploy/} folder of the source tree (tests run in the project root). */
    static final Path ROOT = Path.of("deploy");

    private DeployFiles() {}

    /** The text of {@code deploy/relative}. */
    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The program on PATH, /usr/sbin or /usr/bin; null when absent. */
    static Path program(String name) {
        String pathVariable = System.getenv("PATH");
        String dirs = (pathVariable == null ? "" : pathVariable + File.pathSeparator) + "/usr/sbin" + File.pathSeparator
                + "/usr/bin";
        for (String dir : dirs.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code name}'s path; skips the test with how to install it when it is absent. */
    static Path assumeInstalled(String name, String debianPackage) {
        Path path = program(name);
        assumeTrue(path != null, name + " is not installed, so this test is skipped: apt-get install -y "
                + debianPackage + " (.ci/run installs it)");
        return path;
    }
}
