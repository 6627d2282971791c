package io.dlstation.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code dlstation --version}: the product's version and the engine versions it was built with. */
final class VersionProvider implements IVersionProvider {

    /** The product version from the build, e.g. "0.1.0". */
    static String productVersion() {
        return properties().getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        Properties p = properties();
        return new String[] {
            "dlstation " + p.getProperty("version", "unknown"),
            "DJL " + p.getProperty("djl", "?") + ", default PyTorch " + p.getProperty("pytorch", "?")
                    + " (CPU build bundled; CUDA build downloaded by DJL, or a local PyTorch with --pytorch-home)",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        };
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dlstation-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // the version then reads "unknown"
        }
        return p;
    }
}
