package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JniInstallerTest {
    @TempDir
    Path tmp;

    private Path cache;
    private PyTorchInstall install;
    private JniInstaller installer;

    @BeforeEach
    void setUp() throws IOException {
        cache = tmp.resolve("cache/pytorch");
        Path lib = Files.createDirectories(tmp.resolve("torch/lib"));
        install = new PyTorchInstall(lib, "2.11.0", "cu130");
        installer = new JniInstaller(cache, "0.36.0", "linux-x86_64");
    }

    @Test
    void searchesWhereDjlSearchesInItsOrder() {
        assertThat(installer.searchPath(install)).containsExactly(
                install.libDir().resolve("0.36.0-libdjl_torch.so"),
                install.libDir().resolve("libdjl_torch.so"),
                cache.resolve("2.11.0-cu130-linux-x86_64/0.36.0-libdjl_torch.so"));
    }

    @Test
    void copiesASuppliedJniIntoDjlsCacheWithNoTemporaryLeft() throws IOException {
        Path jni = Files.writeString(tmp.resolve("libdjl_torch.so"), "elf bytes");
        installer.ensure(install, jni, "2.7.1");
        Path target = installer.cachePath(install);
        assertThat(target).hasContent("elf bytes");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
        // a changed JNI replaces the cached one
        Files.writeString(jni, "new elf bytes");
        installer.ensure(install, jni, "2.7.1");
        assertThat(target).hasContent("new elf bytes");
    }

    @Test
    void aVersionDjlPublishesNoJniForNeedsOne() {
        assertThatThrownBy(() -> installer.ensure(install, null, "2.7.1"))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("PyTorch 2.11.0 (cu130)")
                .hasMessageContaining("--pytorch-jni")
                .hasMessageContaining("2.11.0-cu130-linux-x86_64")
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED));
    }

    @Test
    void aJniAlreadyBesideLibtorchIsEnough() throws IOException {
        Files.writeString(install.libDir().resolve("libdjl_torch.so"), "elf");
        installer.ensure(install, null, "2.7.1");
        assertThat(installer.cachePath(install)).doesNotExist();
    }

    @Test
    void theVersionDjlTargetsNeedsNoSuppliedJni() {
        PyTorchInstall same = new PyTorchInstall(install.libDir(), "2.7.1", "cu128");
        installer.ensure(same, null, "2.7.1");
        assertThat(installer.cachePath(same)).doesNotExist();
    }
}
