package io.dlstation.maintain;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.maintain.task.ByteSize;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Makes a backup so that it is either complete and verified or not there: files are copied into a hidden
 * {@code .NAME-TIMESTAMP.partial} folder beside the others, hashed on the way, synced; the manifest is
 * written last and synced; with {@code verify} every copy is read again and checked; only then is the
 * folder renamed, atomically, to {@code NAME-TIMESTAMP}. A failure removes the partial folder, and a
 * crash leaves only a hidden one, which the next run of the task removes. Older backups beyond
 * {@code keep} are pruned only after the new one is in place. A lock file keeps two runs of the same
 * backup apart.
 */
final class BackupWriter {
    private final PathGuard guard;
    private final Clock clock;
    private final FileCopier copier;

    /** What was made. */
    public record BackupResult(Path folder, int files, long bytes, boolean verified, List<Path> pruned,
            List<String> warnings) {}

    public BackupWriter(PathGuard guard, Clock clock, FileCopier copier) {
        this.guard = guard;
        this.clock = clock;
        this.copier = copier;
    }

    /** Lists what {@code task} would copy and prune now; changes nothing. */
    public BackupPlan plan(BackupTask task) throws IOException {
        String what = "task '" + task.name() + "': ";
        Path destination = PathGuard.requirePlain(what + "destination", task.destination());
        Path existing = Files.exists(destination) ? guard.deletionRoot(what + "destination", destination) : null;
        if (existing == null && (destination.getParent() == null || !Files.isDirectory(destination.getParent()))) {
            throw new DlstationException(ErrorCode.NOT_FOUND, what + "destination " + destination
                    + " and the folder above it do not exist (is the backup disk mounted?); no backup made");
        }
        List<String> warnings = new ArrayList<>();
        List<BackupManifest.Source> sources = new ArrayList<>();
        List<BackupPlan.Item> items = new ArrayList<>();
        for (Path source : task.sources()) {
            Path real;
            try {
                real = PathGuard.requirePlain(what + "source", source).toRealPath();
            } catch (NoSuchFileException e) {
                throw new DlstationException(ErrorCode.NOT_FOUND, what + "source " + source
                        + " does not exist; no backup made");
            }
            String label = source.getFileName().toString();
            sources.add(new BackupManifest.Source(label, source.toString()));
            list(real, BackupManifest.DATA + "/" + label, items, warnings);
        }
        items.sort(Comparator.comparing(BackupPlan.Item::path));
        long total = items.stream().mapToLong(BackupPlan.Item::bytes).sum();
        List<BackupCatalog.BackupInfo> prune = existing == null || task.keep() == null ? List.of()
                : BackupCatalog.list(existing, task.prefix()).stream().skip(task.keep() - 1L).toList();
        Path store = existing != null ? existing : destination.getParent();
        long usable = Files.getFileStore(store).getUsableSpace();
        var created = clock.instant();
        String name = BackupCatalog.freshName(existing != null ? existing : destination, task.prefix(), created);
        return new BackupPlan(task, created, existing != null ? existing : destination, name, sources, items, total,
                prune, usable, warnings);
    }

    /** Makes the planned backup, then prunes. Copies are reported to {@code listener} as they happen. */
    public BackupResult write(BackupPlan plan, RunListener listener) throws IOException {
        BackupTask task = plan.task();
        String what = "task '" + task.name() + "': ";
        if (plan.totalBytes() > plan.usableBytes()) {
            throw new DlstationException(ErrorCode.UNAVAILABLE, what + "the backup needs "
                    + ByteSize.format(plan.totalBytes()) + " but " + plan.destination() + " has "
                    + ByteSize.format(plan.usableBytes()) + " free; no backup made");
        }
        if (!Files.exists(plan.destination())) {
            Files.createDirectory(plan.destination());
        }
        Path root = guard.deletionRoot(what + "destination", plan.destination());
        try (FileChannel lockFile = FileChannel.open(root.resolve("." + task.prefix() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lock(lockFile, what, root); // released when the channel closes
            for (Path stale : BackupCatalog.partials(root, task.prefix())) {
                guard.deleteTree(root, stale, f -> { });
                listener.on(RunEvent.of(clock.instant(), task.name(), RunEvent.PARTIAL_REMOVED, stale, null,
                        "left by an interrupted run"));
            }
            String name = BackupCatalog.freshName(root, task.prefix(), plan.created());
            Path folder = root.resolve(name);
            Path partial = root.resolve(BackupCatalog.partialName(name));
            List<String> warnings = new ArrayList<>(plan.warnings());
            BackupManifest manifest;
            boolean complete = false;
            Files.createDirectory(partial);
            try {
                manifest = copyAll(plan, partial, warnings, listener);
                if (task.verify()) {
                    BackupVerifier.Verification v = BackupVerifier.verify(partial, manifest);
                    if (!v.ok()) {
                        throw new DlstationException(ErrorCode.INTERNAL, what + "the copies do not match what was read: "
                                + String.join("; ", v.problems()) + "; no backup made");
                    }
                }
                Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
                Durable.syncFolder(root);
                complete = true;
            } finally {
                if (!complete) {
                    removeQuietly(root, partial);
                }
            }
            listener.on(RunEvent.of(clock.instant(), task.name(), RunEvent.BACKUP_CREATED, folder,
                    manifest.totalBytes(), manifest.fileCount() + " files" + (task.verify() ? ", verified" : "")));
            List<Path> pruned = prune(task, root, folder, listener);
            return new BackupResult(folder, manifest.fileCount(), manifest.totalBytes(), task.verify(), pruned, warnings);
        }
    }

    private BackupManifest copyAll(BackupPlan plan, Path partial, List<String> warnings, RunListener listener)
            throws IOException {
        List<BackupManifest.Entry> entries = new ArrayList<>();
        for (BackupPlan.Item item : plan.items()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("stopped before " + item.source());
            }
            Path target = partial.resolve(item.path());
            Files.createDirectories(target.getParent());
            FileCopier.Copied copied;
            try {
                copied = copier.copy(item.source(), target);
            } catch (NoSuchFileException e) {
                if (Files.exists(item.source(), LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
                warnings.add(item.source() + " was deleted after it was listed; not in the backup");
                continue;
            }
            entries.add(new BackupManifest.Entry(item.path(), copied.bytes(), copied.sha256(),
                    Files.getLastModifiedTime(target).toInstant().toString()));
            listener.on(RunEvent.of(clock.instant(), plan.task().name(), RunEvent.COPIED, item.source(), copied.bytes(),
                    item.path()));
        }
        Durable.syncTree(partial);
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, BackupManifest.SCHEMA, plan.task().name(),
                plan.task().prefix(), plan.created().toString(), plan.sources(), entries.size(),
                entries.stream().mapToLong(BackupManifest.Entry::bytes).sum(), entries);
        manifest.write(partial);
        Durable.syncFolder(partial);
        return manifest;
    }

    private List<Path> prune(BackupTask task, Path root, Path made, RunListener listener) throws IOException {
        List<Path> pruned = new ArrayList<>();
        if (task.keep() == null) {
            return pruned;
        }
        List<BackupCatalog.BackupInfo> beyond = BackupCatalog.list(root, task.prefix()).stream().skip(task.keep())
                .filter(b -> !b.folder().equals(made)) // even if the clock went back: never the one just made
                .toList();
        for (BackupCatalog.BackupInfo old : beyond) {
            List<String> refused = guard.deleteTree(root, old.folder(), f -> { });
            if (refused.isEmpty()) {
                pruned.add(old.folder());
                listener.on(RunEvent.of(clock.instant(), task.name(), RunEvent.PRUNED, old.folder(), old.bytes(),
                        "beyond keep " + task.keep()));
            } else {
                listener.on(RunEvent.of(clock.instant(), task.name(), RunEvent.REFUSED, old.folder(), old.bytes(),
                        String.join("; ", refused)));
            }
        }
        Durable.syncFolder(root);
        return pruned;
    }

    /** Lists the files under one source (links to files are copied as files; others are skipped). */
    private static void list(Path real, String base, List<BackupPlan.Item> items, List<String> warnings)
            throws IOException {
        if (Files.isRegularFile(real)) {
            items.add(new BackupPlan.Item(real, base, Files.size(real)));
            return;
        }
        Files.walkFileTree(real, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String path = base + "/" + real.relativize(file).toString();
                if (attrs.isRegularFile()) {
                    items.add(new BackupPlan.Item(file, path, attrs.size()));
                } else if (attrs.isSymbolicLink() && Files.isRegularFile(file)) {
                    items.add(new BackupPlan.Item(file, path, Files.size(file)));
                } else {
                    warnings.add(file + " skipped: " + (attrs.isSymbolicLink()
                            ? "a link to a folder or to nothing" : "not a regular file"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw e; // an unreadable file would make the backup incomplete
            }
        });
    }

    private static void lock(FileChannel channel, String what, Path root) throws IOException {
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by this process
        }
        if (lock == null) {
            throw new DlstationException(ErrorCode.UNAVAILABLE, what + "another run of this backup is writing to "
                    + root + "; try again when it has finished");
        }
    }

    private void removeQuietly(Path root, Path partial) {
        try {
            guard.deleteTree(root, partial, f -> { });
        } catch (IOException | RuntimeException e) {
            // the next run removes it; it is hidden and has no manifest, so it never looks complete
        }
    }
}
