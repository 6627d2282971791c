package io.dlstation.engine;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Makes sure DJL will find a JNI library ({@code libdjl_torch.so}) that matches a local libtorch.
 *
 * <p>DJL looks for it in the libtorch folder ({@code <djl>-libdjl_torch.so} or {@code
 * libdjl_torch.so}), then in its cache at {@code <cache>/pytorch/<version>-<flavor>-<classifier>/
 * <djl>-libdjl_torch.so}, and otherwise downloads the one DJL published for that PyTorch version.
 * DJL publishes JNIs only for the PyTorch version it was built with, so for any other local version
 * the user supplies one ({@code --pytorch-jni}) and this class copies it into DJL's cache, atomically.
 */
final class JniInstaller {
    private static final String JNI = "libdjl_torch.so";

    private final Path engineCacheDir;
    private final String djlVersion;
    private final String classifier;

    JniInstaller(Path engineCacheDir, String djlVersion, String classifier) {
        this.engineCacheDir = engineCacheDir;
        this.djlVersion = djlVersion;
        this.classifier = classifier;
    }

    /** The places DJL looks, in its order. */
    List<Path> searchPath(PyTorchInstall install) {
        return Arrays.asList(
                install.libDir().resolve(djlVersion + "-" + JNI),
                install.libDir().resolve(JNI),
                cachePath(install));
    }

    Path cachePath(PyTorchInstall install) {
        return engineCacheDir.resolve(install.version() + "-" + install.flavor() + "-" + classifier)
                .resolve(djlVersion + "-" + JNI);
    }

    /**
     * Installs {@code jni} (may be null) for {@code install}, or checks one is already in place when
     * DJL publishes none for this version.
     *
     * @param djlPyTorchVersion the PyTorch version DJL's published JNIs target, e.g. "2.7.1"
     */
    void ensure(PyTorchInstall install, Path jni, String djlPyTorchVersion) {
        if (jni != null) {
            copyAtomically(jni, cachePath(install));
            return;
        }
        boolean found = searchPath(install).stream().anyMatch(Files::isRegularFile);
        if (!found && !install.version().equals(djlPyTorchVersion)) {
            throw new DlstationException(ErrorCode.UNSUPPORTED, "PyTorch " + install.version() + " ("
                    + install.flavor() + ") at " + install.libDir() + " needs a DJL JNI compiled against it; DJL "
                    + djlVersion + " publishes JNIs only for PyTorch " + djlPyTorchVersion + ". Pass one with "
                    + "--pytorch-jni FILE (or DLSTATION_PYTORCH_JNI), or place it at " + cachePath(install));
        }
    }

    private static void copyAtomically(Path source, Path target) {
        try {
            if (Files.isRegularFile(target) && Files.mismatch(source, target) == -1) {
                return;
            }
            AtomicFiles.write(target, out -> Files.copy(source, out));
        } catch (IOException e) {
            throw new DlstationException(ErrorCode.BAD_INPUT, "--pytorch-jni " + source + ": cannot copy it to "
                    + target + " (" + e.getMessage() + "); check that DJL's cache folder is writable or set DJL_CACHE_DIR");
        }
    }
}
