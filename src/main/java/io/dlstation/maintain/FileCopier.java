package io.dlstation.maintain;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Copies one file for a backup or a restore: the seam tests use to fail a copy part-way, as a crash or a
 * full disk would.
 */
@FunctionalInterface
public interface FileCopier {
    /** What was copied: the bytes read from the source and their SHA-256 (lower-case hex). */
    record Copied(long bytes, String sha256) {}

    /**
     * Copies {@code source} (links followed) to {@code target}, which must not exist, hashing the bytes as
     * they pass; the copy is synced to the device and takes the source's modification time and
     * permissions.
     */
    Copied copy(Path source, Path target) throws IOException;

    /** The real copier. */
    static FileCopier hashing() {
        return new HashingFileCopier();
    }
}
