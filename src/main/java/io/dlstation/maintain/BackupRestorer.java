package io.dlstation.maintain;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.files.PathGuard;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Restores a backup into a new folder and proves it: every file is copied into a hidden folder beside the
 * target, its hash checked against the manifest on the way, read again and checked once more, then the
 * folder is renamed into place. A backup of one source restores into the target itself; of several, each
 * into {@code TARGET/LABEL}. The target must not exist or be empty; nothing is ever overwritten.
 */
public final class BackupRestorer {
    private final FileCopier copier;

    /** What was (or would be) restored. */
    public record RestoreResult(Path backup, Path target, int files, long bytes, boolean dryRun, List<String> paths) {}

    public BackupRestorer(FileCopier copier) {
        this.copier = copier;
    }

    /** Restores {@code backup} into {@code target} (absolute); with {@code dryRun} only lists what would be written. */
    public RestoreResult restore(Path backup, Path target, boolean dryRun) throws IOException {
        BackupManifest manifest = BackupManifest.read(backup);
        Path into = PathGuard.requirePlain("--to", target);
        checkTarget(into);
        boolean single = manifest.sources().size() == 1;
        List<String> paths = new ArrayList<>();
        for (BackupManifest.Entry e : manifest.files()) {
            paths.add(restoredPath(e.path(), single));
        }
        if (dryRun) {
            return new RestoreResult(backup, into, manifest.fileCount(), manifest.totalBytes(), true, paths);
        }
        Path partial = into.resolveSibling("." + into.getFileName() + ".restore-partial");
        if (Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
            throw new DlstationException(ErrorCode.UNAVAILABLE, partial + " exists: another restore is running, or one"
                    + " was interrupted; remove it and try again");
        }
        boolean complete = false;
        Files.createDirectory(partial);
        try {
            copyChecked(backup, manifest, partial, paths);
            checkCopies(manifest, partial, paths);
            Durable.syncTree(partial);
            if (Files.exists(into, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(into); // empty, checked above
            }
            Files.move(partial, into, StandardCopyOption.ATOMIC_MOVE);
            Durable.syncFolder(into.getParent());
            complete = true;
        } finally {
            if (!complete) {
                deleteQuietly(partial);
            }
        }
        return new RestoreResult(backup, into, manifest.fileCount(), manifest.totalBytes(), false, paths);
    }

    private void copyChecked(Path backup, BackupManifest manifest, Path partial, List<String> paths) throws IOException {
        for (int i = 0; i < manifest.files().size(); i++) {
            BackupManifest.Entry e = manifest.files().get(i);
            Path source = backup.resolve(e.path());
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new DlstationException(ErrorCode.INTERNAL, backup + " is damaged: " + e.path()
                        + " is missing; nothing restored");
            }
            Path target = partial.resolve(paths.get(i));
            Files.createDirectories(target.getParent());
            FileCopier.Copied copied = copier.copy(source, target);
            if (!copied.sha256().equals(e.sha256()) || copied.bytes() != e.bytes()) {
                throw new DlstationException(ErrorCode.INTERNAL, backup + " is damaged: " + e.path()
                        + " does not match its manifest (SHA-256 " + copied.sha256() + "); nothing restored");
            }
        }
    }

    private static void checkCopies(BackupManifest manifest, Path partial, List<String> paths) throws IOException {
        for (int i = 0; i < manifest.files().size(); i++) {
            BackupManifest.Entry e = manifest.files().get(i);
            if (!Durable.sha256(partial.resolve(paths.get(i))).equals(e.sha256())) {
                throw new DlstationException(ErrorCode.INTERNAL, "the restored copy of " + e.path()
                        + " does not read back as written; nothing restored (check the target disk)");
            }
        }
    }

    /** {@code data/LABEL/a/b} becomes {@code a/b} for a one-source backup and {@code LABEL/a/b} otherwise. */
    static String restoredPath(String path, boolean single) {
        String underData = path.substring(BackupManifest.DATA.length() + 1);
        if (!single) {
            return underData;
        }
        int slash = underData.indexOf('/');
        return slash < 0 ? underData : underData.substring(slash + 1);
    }

    private static void checkTarget(Path into) throws IOException {
        if (into.getParent() == null || !Files.isDirectory(into.getParent())) {
            throw DlstationException.badInput("--to " + into + ": the folder above it does not exist");
        }
        if (!Files.exists(into, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(into, LinkOption.NOFOLLOW_LINKS)) {
            throw DlstationException.badInput("--to " + into + " exists and is not a folder; restore into a new folder");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(into)) {
            if (entries.iterator().hasNext()) {
                throw DlstationException.badInput("--to " + into + " is not empty; restore into a new or empty folder "
                        + "(nothing is overwritten)");
            }
        }
    }

    private static void deleteQuietly(Path partial) {
        try (var walk = Files.walk(partial)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // a hidden .restore-partial folder is left; the message of the failure already names the problem
        }
    }
}
