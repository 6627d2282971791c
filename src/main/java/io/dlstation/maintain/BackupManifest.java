package io.dlstation.maintain;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code manifest.json} at the top of a backup folder: what was copied from where, and the size and
 * SHA-256 of every file. It is written last, so a folder without one was never finished.
 *
 * @param format always {@value #FORMAT}
 * @param schema the manifest's version, {@value #SCHEMA}
 * @param task the task that made it
 * @param name the backups' name (the folder is {@code NAME-TIMESTAMP})
 * @param created when the backup started (ISO-8601, UTC)
 * @param sources each source's label (its folder under {@code data/}) and the path it was copied from
 * @param fileCount how many files
 * @param totalBytes their total size
 * @param files every file, path relative to the backup folder with '/' separators
 */
record BackupManifest(String format, int schema, String task, String name, String created, List<Source> sources,
        int fileCount, long totalBytes, List<Entry> files) {
    /** The manifest's file name. */
    public static final String FILE = "manifest.json";
    /** The folder in a backup that holds the copies. */
    public static final String DATA = "data";
    static final String FORMAT = "dlstation-backup";
    static final int SCHEMA = 1;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A source: its label (unique in the backup) and where it was copied from. */
    public record Source(String label, String path) {}

    /** A file: where it is in the backup, its size, its SHA-256 and its modification time (ISO-8601). */
    public record Entry(String path, long bytes, String sha256, String modified) {}

    public BackupManifest {
        sources = List.copyOf(sources);
        files = List.copyOf(files);
    }

    /** Reads and checks the manifest of {@code folder}; a folder without one is not a complete backup. */
    public static BackupManifest read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        BackupManifest manifest;
        try {
            manifest = MaintainJson.LINES.readValue(Files.readAllBytes(file), BackupManifest.class);
        } catch (NoSuchFileException e) {
            throw new DlstationException(ErrorCode.NOT_FOUND, folder + " is not a complete backup: it has no " + FILE
                    + " (a backup that was interrupted leaves only a hidden .partial folder)");
        } catch (JsonProcessingException e) {
            throw new DlstationException(ErrorCode.INTERNAL, file + " is damaged: " + MaintainJson.why(e));
        }
        manifest.check(file);
        return manifest;
    }

    /** Writes this manifest into {@code folder} and syncs it to the device. */
    void write(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        Files.write(file, MaintainJson.PRETTY.writeValueAsBytes(this), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        Durable.syncFile(file);
    }

    /** A manifest that could make a restore write outside its target, or that lies about itself, is refused. */
    private void check(Path file) {
        if (!FORMAT.equals(format) || schema != SCHEMA) {
            throw new DlstationException(ErrorCode.UNSUPPORTED, file + " is not a dlstation backup manifest of schema "
                    + SCHEMA + " (format '" + format + "', schema " + schema + ")");
        }
        if (fileCount != files.size() || totalBytes != files.stream().mapToLong(Entry::bytes).sum()) {
            throw damaged(file, "its file count or total size does not match its list of files");
        }
        Set<String> labels = new HashSet<>();
        for (Source s : sources) {
            if (s.label() == null || !isPlainName(s.label()) || !labels.add(s.label())) {
                throw damaged(file, "source label '" + s.label() + "' is not a plain, unique name");
            }
        }
        Set<String> seen = new HashSet<>();
        for (Entry e : files) {
            if (!isSafeRelative(e.path()) || !e.path().startsWith(DATA + "/") || !seen.add(e.path())) {
                throw damaged(file, "file path '" + e.path() + "' is not a plain path under " + DATA + "/");
            }
            String label = e.path().split("/")[1];
            if (!labels.contains(label)) {
                throw damaged(file, "file path '" + e.path() + "' is under no listed source");
            }
            if (e.bytes() < 0 || e.sha256() == null || !SHA256.matcher(e.sha256()).matches()) {
                throw damaged(file, "file '" + e.path() + "' has no valid size or SHA-256");
            }
        }
    }

    private static DlstationException damaged(Path file, String why) {
        return new DlstationException(ErrorCode.INTERNAL, file + " is damaged: " + why);
    }

    /** A relative path of plain names: no leading '/', no empty part, no '.' or '..'. */
    static boolean isSafeRelative(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\0")) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (!isPlainName(part)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainName(String part) {
        return !part.isEmpty() && !part.equals(".") && !part.equals("..") && !part.contains("/");
    }
}
