package io.dlstation.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file through a temporary beside it and an atomic rename: readers see old or new, never
 * half. The content is forced to the disk before the rename and the rename after it, so a crash or a
 * power cut leaves the old file or the whole new one.
 */
public final class AtomicFiles {
    /** Writes the content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code target} whole: the content goes to a temporary file beside it, then is renamed over it. */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            writeDurably(tmp, writer);
            try {
                // temporary files are private; results are for reading by others too
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep its defaults
            }
            move(tmp, target);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes a new file and forces its content to the disk before returning. */
    public static void writeDurably(Path file, Writer writer) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new FlushOnClose(Channels.newOutputStream(channel));
            writer.write(out);
            out.flush();
            channel.force(true);
        }
    }

    /**
     * Renames a fully written folder into place in one step; {@code target} must not exist. The
     * parent folder is synced after, so the rename survives a crash.
     */
    public static void publishDirectory(Path finished, Path target) throws IOException {
        syncDirectory(finished);
        Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces a folder's entries (new names, renames) to the disk where the platform allows it. */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // some platforms and file systems cannot open or sync a folder; the data files are synced
        }
    }

    /** Buffers, and leaves the channel open on close: it is forced to the disk and closed after. */
    private static final class FlushOnClose extends BufferedOutputStream {
        FlushOnClose(OutputStream out) {
            super(out, 1 << 16);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
