package io.dlstation.maintain;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backups of one name in a destination folder. A complete backup is a folder {@code NAME-TIMESTAMP}
 * (optionally {@code -N}) that holds a readable {@code manifest.json} of that name; work in progress and
 * the leftovers of an interrupted backup are hidden folders {@code .NAME-TIMESTAMP.partial}, never listed.
 */
final class BackupCatalog {
    /** Timestamps in backup names: UTC, sortable, no characters a shell or a file system minds. */
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String STAMP_REGEX = "(\\d{8}T\\d{6}Z)(?:-(\\d+))?";

    /** A complete backup. */
    public record BackupInfo(Path folder, String name, Instant created, int files, long bytes) {}

    private BackupCatalog() {}

    /** The complete backups named {@code prefix} in {@code destination}, newest first. */
    public static List<BackupInfo> list(Path destination, String prefix) throws IOException {
        List<BackupInfo> found = new ArrayList<>();
        if (!Files.isDirectory(destination)) {
            return found;
        }
        Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "-" + STAMP_REGEX);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(destination)) {
            for (Path entry : entries) {
                Matcher m = pattern.matcher(entry.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    BackupManifest manifest = BackupManifest.read(entry);
                    if (prefix.equals(manifest.name())) {
                        found.add(new BackupInfo(entry, manifest.name(), Instant.parse(manifest.created()),
                                manifest.fileCount(), manifest.totalBytes()));
                    }
                } catch (RuntimeException | IOException e) {
                    // not ours, or not complete: never listed, so never pruned
                }
            }
        }
        found.sort(Comparator.comparing(BackupInfo::created).thenComparing(b -> b.folder().getFileName().toString())
                .reversed());
        return found;
    }

    /** Hidden work folders of {@code prefix} left in {@code destination} (by a run in progress or a crash). */
    static List<Path> partials(Path destination, String prefix) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(destination)) {
            return found;
        }
        Pattern pattern = Pattern.compile("\\." + Pattern.quote(prefix) + "-" + STAMP_REGEX + "\\.partial");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(destination)) {
            for (Path entry : entries) {
                if (pattern.matcher(entry.getFileName().toString()).matches()) {
                    found.add(entry);
                }
            }
        }
        return found;
    }

    /** A name for a new backup of {@code prefix} at {@code time} that is not taken in {@code destination}. */
    static String freshName(Path destination, String prefix, Instant time) {
        String base = prefix + "-" + STAMP.format(time);
        String name = base;
        for (int n = 2; Files.exists(destination.resolve(name), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(destination.resolve(partialName(name)), LinkOption.NOFOLLOW_LINKS); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    /** The hidden work folder of the backup {@code name}. */
    static String partialName(String name) {
        return "." + name + ".partial";
    }
}
