package io.dlstation.maintain;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads every file of a backup again and checks it against the manifest: present, same size, same SHA-256. */
public final class BackupVerifier {
    /**
     * The outcome: how many files and bytes were read, and each problem (missing, wrong size, wrong hash,
     * unexpected file).
     */
    public record Verification(Path folder, int checked, long bytes, List<String> problems) {
        public Verification {
            problems = List.copyOf(problems);
        }

        /** Whether the backup is whole. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private BackupVerifier() {}

    /** Verifies the complete backup in {@code folder}. */
    public static Verification verify(Path folder) throws IOException {
        return verify(folder, BackupManifest.read(folder));
    }

    /** Verifies {@code folder} against {@code manifest} (used before a new backup is renamed into place). */
    static Verification verify(Path folder, BackupManifest manifest) throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        long bytes = 0;
        int checked = 0;
        for (BackupManifest.Entry entry : manifest.files()) {
            listed.add(entry.path());
            Path file = folder.resolve(entry.path());
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!attrs.isRegularFile()) {
                    problems.add(entry.path() + ": not a regular file");
                    continue;
                }
                if (attrs.size() != entry.bytes()) {
                    problems.add(entry.path() + ": " + attrs.size() + " bytes, the manifest says " + entry.bytes());
                    continue;
                }
                String sha = Durable.sha256(file);
                checked++;
                bytes += attrs.size();
                if (!sha.equals(entry.sha256())) {
                    problems.add(entry.path() + ": SHA-256 " + sha + ", the manifest says " + entry.sha256());
                }
            } catch (NoSuchFileException e) {
                problems.add(entry.path() + ": missing");
            }
        }
        Path data = folder.resolve(BackupManifest.DATA);
        if (Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
            Files.walkFileTree(data, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String relative = folder.relativize(file).toString();
                    if (!listed.contains(relative)) {
                        problems.add(relative + ": not in the manifest");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return new Verification(folder, checked, bytes, problems);
    }
}
