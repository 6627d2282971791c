package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchInstallLocatorTest {
    @TempDir
    Path tmp;

    /** A pip install's layout: torch/version.py and torch/lib/libtorch.so. */
    private Path pipTorch(String version, String cuda) throws IOException {
        Path torch = Files.createDirectories(tmp.resolve("site-packages/torch"));
        Files.createDirectories(torch.resolve("lib"));
        Files.writeString(torch.resolve("lib/libtorch.so"), "");
        Files.writeString(torch.resolve("version.py"), "from typing import Optional\n\n"
                + "__all__ = ['__version__', 'debug', 'cuda', 'git_version', 'hip', 'xpu']\n"
                + "__version__ = '" + version + "'\ndebug = False\n"
                + "cuda: Optional[str] = " + (cuda == null ? "None" : "'" + cuda + "'") + "\n"
                + "git_version = 'abc'\nhip: Optional[str] = None\n");
        return torch;
    }

    @Test
    void readsVersionAndFlavourOfACudaPipInstall() throws IOException {
        Path torch = pipTorch("2.11.0+cu130", "13.0");
        PyTorchInstall install = PyTorchInstallLocator.fromFolder(torch.resolve("lib"), "--pytorch-home x");
        assertThat(install.libDir()).isEqualTo(torch.resolve("lib"));
        assertThat(install.version()).isEqualTo("2.11.0");
        assertThat(install.flavor()).isEqualTo("cu130");
        assertThat(install.isCuda()).isTrue();
    }

    @Test
    void acceptsTheTorchPackageFolderAndCpuBuilds() throws IOException {
        Path torch = pipTorch("2.7.1+cpu", null);
        PyTorchInstall install = PyTorchInstallLocator.fromFolder(torch, "--pytorch-home x");
        assertThat(install.libDir()).isEqualTo(torch.resolve("lib"));
        assertThat(install.version()).isEqualTo("2.7.1");
        assertThat(install.flavor()).isEqualTo("cpu");
    }

    @Test
    void readsALibtorchDistributionsBuildVersion() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("libtorch"));
        Files.createDirectories(root.resolve("lib"));
        Files.writeString(root.resolve("lib/libtorch.so"), "");
        Files.writeString(root.resolve("build-version"), "2.7.1+cu128\n");
        PyTorchInstall install = PyTorchInstallLocator.fromFolder(root, "--pytorch-home x");
        assertThat(install.version()).isEqualTo("2.7.1");
        assertThat(install.flavor()).isEqualTo("cu128");
    }

    @Test
    void aFolderWithoutLibtorchNamesTheFolderAndWhatWasExpected() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> new PyTorchInstallLocator().locate(empty.toString()))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("--pytorch-home " + empty)
                .hasMessageContaining("no libtorch.so in " + empty)
                .hasMessageContaining("torch/lib");
        assertThatThrownBy(() -> new PyTorchInstallLocator().locate(tmp.resolve("missing").toString()))
                .hasMessageContaining("is not a folder");
    }

    @Test
    void libtorchWithoutAVersionFileIsRefused() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("odd/lib"));
        Files.writeString(lib.resolve("libtorch.so"), "");
        assertThatThrownBy(() -> PyTorchInstallLocator.fromFolder(lib, "--pytorch-home x"))
                .hasMessageContaining("no torch/version.py");
    }

    @Test
    void autoExplainsWhenPythonCannotBeRun() {
        PyTorchInstallLocator locator = new PyTorchInstallLocator(tmp.resolve("no-python").toString(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> locator.locate("auto"))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("--pytorch-home auto")
                .hasMessageContaining("cannot run");
    }

    @Test
    void autoExplainsWhenTorchCannotBeImported() throws IOException {
        Path fakePython = tmp.resolve("python-without-torch");
        Files.writeString(fakePython, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
        fakePython.toFile().setExecutable(true);
        PyTorchInstallLocator locator = new PyTorchInstallLocator(fakePython.toString(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> locator.locate("auto"))
                .hasMessageContaining("cannot import torch")
                .hasMessageContaining("No module named 'torch'");
    }

    @Test
    void autoUsesTheFolderPythonPrints() throws IOException {
        Path torch = pipTorch("2.11.0+cu130", "13.0");
        Path fakePython = tmp.resolve("python-with-torch");
        Files.writeString(fakePython, "#!/bin/sh\necho '" + torch + "'\n");
        fakePython.toFile().setExecutable(true);
        PyTorchInstall install = new PyTorchInstallLocator(fakePython.toString(), Duration.ofSeconds(5)).locate("auto");
        assertThat(install.libDir()).isEqualTo(torch.resolve("lib"));
        assertThat(install.flavor()).isEqualTo("cu130");
    }
}
