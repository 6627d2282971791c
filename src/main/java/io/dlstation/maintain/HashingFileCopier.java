package io.dlstation.maintain;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Set;

/** Streams a file into a new one through a SHA-256 digest, then syncs it and copies its time and mode. */
final class HashingFileCopier implements FileCopier {
    @Override
    public Copied copy(Path source, Path target) throws IOException {
        MessageDigest digest = Durable.sha256();
        long total = 0;
        byte[] buffer = new byte[Durable.bufferSize()];
        try (InputStream in = Files.newInputStream(source);
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("stopped while copying " + source);
                }
                digest.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                total += n;
            }
            Files.setLastModifiedTime(target, Files.getLastModifiedTime(source));
            PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (view != null) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(source);
                view.setPermissions(mode);
            }
            out.force(true); // content, time and mode
        }
        return new Copied(total, Durable.hex(digest.digest()));
    }
}
