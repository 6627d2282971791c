package io.dlstation.maintain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds file trees with fixed sizes and modification times, and takes snapshots of them to compare. */
final class Trees {
    /** The tests' "now". */
    static final Instant NOW = Instant.parse("2025-06-04T12:00:00Z");

    private Trees() {}

    /** A file of {@code bytes} bytes (content derived from its name) last modified {@code age} before {@link #NOW}. */
    static Path file(Path path, int bytes, Duration age) throws IOException {
        Files.createDirectories(path.getParent());
        byte[] content = new byte[bytes];
        int seed = path.getFileName().toString().hashCode();
        for (int i = 0; i < bytes; i++) {
            content[i] = (byte) (seed * 31 + i * 7);
        }
        Files.write(path, content);
        Files.setLastModifiedTime(path, FileTime.from(NOW.minus(age)));
        return path;
    }

    static Path file(Path path, int bytes, int daysOld) throws IOException {
        return file(path, bytes, Duration.ofDays(daysOld));
    }

    /**
     * Every entry under {@code root} (links not followed): its kind, size, modification time and, for files,
     * its SHA-256; folders by kind only.
     */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String key = root.relativize(p).toString();
                if (a.isSymbolicLink()) {
                    entries.put(key, "link -> " + Files.readSymbolicLink(p));
                } else if (a.isDirectory()) {
                    entries.put(key, "dir");
                } else {
                    entries.put(key, a.size() + " " + a.lastModifiedTime().toInstant() + " " + Durable.sha256(p));
                }
            }
        }
        return entries;
    }

    /** Relative file paths under {@code root} with their content hashes only (what a restore must reproduce). */
    static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                entries.put(root.relativize(p).toString(), Files.size(p) + " " + Durable.sha256(p));
            }
        }
        return entries;
    }
}
