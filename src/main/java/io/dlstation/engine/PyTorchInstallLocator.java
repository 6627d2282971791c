package io.dlstation.engine;

import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and checks a local PyTorch install: a folder the user names, or the {@code torch} package
 * that {@code python3} imports ({@code --pytorch-home auto}).
 */
public final class PyTorchInstallLocator {
    /** The value of {@code --pytorch-home} that asks python3 where torch is. */
    public static final String AUTO = "auto";

    private static final String LIBTORCH = "libtorch.so";
    private static final Pattern VERSION = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern CUDA = Pattern.compile("(?m)^cuda\\s*(?::[^=]*)?=\\s*(?:['\"]([^'\"]*)['\"]|None)");
    private static final Pattern PLAIN_VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:[.+-].*)?");

    private final String python;
    private final Duration timeout;

    /** A locator that runs {@code python3} with a 60 s limit for {@code auto}. */
    public PyTorchInstallLocator() {
        this("python3", Duration.ofSeconds(60));
    }

    public PyTorchInstallLocator(String python, Duration timeout) {
        this.python = python;
        this.timeout = timeout;
    }

    /** Resolves {@code --pytorch-home}: {@value #AUTO} or a folder. */
    public PyTorchInstall locate(String pytorchHome) {
        if (AUTO.equals(pytorchHome)) {
            return fromFolder(askPython(), "--pytorch-home auto (python3's torch)");
        }
        return fromFolder(Path.of(pytorchHome), "--pytorch-home " + pytorchHome);
    }

    /**
     * Checks a folder: the {@code torch/lib} folder itself, the {@code torch} package folder, or a
     * libtorch distribution root (with {@code lib/}). The version comes from {@code torch/version.py}
     * or libtorch's {@code build-version} file.
     */
    public static PyTorchInstall fromFolder(Path folder, String what) {
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw DlstationException.badInput(what + ": " + dir + " is not a folder; expected the torch/lib folder "
                    + "of a PyTorch install (e.g. .../site-packages/torch/lib), or 'auto'");
        }
        Path libDir = Files.isRegularFile(dir.resolve(LIBTORCH)) ? dir : dir.resolve("lib");
        if (!Files.isRegularFile(libDir.resolve(LIBTORCH))) {
            throw DlstationException.badInput(what + ": no " + LIBTORCH + " in " + dir + " or " + dir.resolve("lib")
                    + "; expected the torch/lib folder of a PyTorch install (e.g. .../site-packages/torch/lib)");
        }
        String[] versionAndCuda = readVersion(libDir.getParent());
        if (versionAndCuda == null) {
            throw DlstationException.badInput(what + ": found " + libDir.resolve(LIBTORCH) + " but no torch/version.py "
                    + "or build-version beside it to tell its version; point at a pip install's torch/lib");
        }
        Matcher m = PLAIN_VERSION.matcher(versionAndCuda[0]);
        String version = m.matches() ? m.group(1) : versionAndCuda[0];
        String cuda = versionAndCuda[1];
        String flavor = cuda == null || cuda.isEmpty() ? "cpu" : "cu" + cuda.replace(".", "");
        return new PyTorchInstall(libDir, version, flavor);
    }

    /** [version, cuda-or-null] from torch/version.py or libtorch's build-version; null if neither. */
    private static String[] readVersion(Path root) {
        try {
            Path versionPy = root.resolve("version.py");
            if (Files.isRegularFile(versionPy)) {
                String text = Files.readString(versionPy);
                Matcher v = VERSION.matcher(text);
                if (v.find()) {
                    Matcher c = CUDA.matcher(text);
                    return new String[] {v.group(1), c.find() ? c.group(1) : null};
                }
            }
            Path buildVersion = root.resolve("build-version");
            if (Files.isRegularFile(buildVersion)) {
                String text = Files.readString(buildVersion).strip();
                int plus = text.indexOf('+');
                String local = plus < 0 ? "" : text.substring(plus + 1);
                String cuda = local.startsWith("cu") && local.length() >= 5
                        ? local.substring(2, local.length() - 1) + "." + local.charAt(local.length() - 1)
                        : null;
                return new String[] {text, cuda};
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private Path askPython() {
        List<String> command = List.of(python, "-c", "import os, torch; print(os.path.dirname(torch.__file__))");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw DlstationException.badInput("--pytorch-home auto: '" + python + " -c \"import torch\"' did not "
                            + "finish within " + timeout.toSeconds() + " s; pass the torch/lib folder instead");
                }
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (process.exitValue() != 0) {
                String[] lines = output.split("\n");
                throw DlstationException.badInput("--pytorch-home auto: " + python + " cannot import torch ("
                        + lines[lines.length - 1].strip() + "); install PyTorch for python3 or pass its torch/lib folder");
            }
            String[] lines = output.split("\n");
            return Path.of(lines[lines.length - 1].strip());
        } catch (IOException e) {
            throw DlstationException.badInput("--pytorch-home auto: cannot run " + python + " (" + e.getMessage()
                    + "); pass the torch/lib folder of a PyTorch install instead");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DlstationException.badInput("--pytorch-home auto: interrupted while asking " + python);
        }
    }
}
