package io.dlstation.maintain;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.files.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * Reads and rewrites {@code maintain-status.json} in the state folder. A rewrite is a read-modify-write
 * under a file lock (the daemon and a run by hand may finish at once), written through a temporary file
 * and an atomic rename, so a reader never sees half a file. Also holds the lock that keeps one daemon per
 * state folder.
 */
public final class StatusStore {
    /** The status file's name. */
    public static final String FILE = "maintain-status.json";

    private final Path folder;

    public StatusStore(Path folder) {
        this.folder = folder;
    }

    /** The state folder. */
    public Path folder() {
        return folder;
    }

    /** The status file. */
    public Path file() {
        return folder.resolve(FILE);
    }

    /** The current status; empty when there is none yet. */
    public MaintenanceStatus read() throws IOException {
        try {
            return MaintainJson.LINES.readValue(Files.readAllBytes(file()), MaintenanceStatus.class);
        } catch (NoSuchFileException e) {
            return MaintenanceStatus.empty();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DlstationException(ErrorCode.INTERNAL, file() + " is damaged (" + MaintainJson.why(e)
                    + "); move it away and the next run writes a fresh one");
        }
    }

    /** Applies {@code change} to the current status and writes the result whole. */
    public synchronized MaintenanceStatus update(UnaryOperator<MaintenanceStatus> change) throws IOException {
        return Shielded.run(() -> {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(folder.resolve(FILE + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                channel.lock(); // released when the channel closes
                MaintenanceStatus current;
                try {
                    current = read();
                } catch (DlstationException damaged) {
                    current = MaintenanceStatus.empty(); // rewritten whole below
                }
                MaintenanceStatus next = change.apply(current);
                AtomicFiles.write(file(), out -> out.write(MaintainJson.PRETTY.writeValueAsBytes(next)));
                return next;
            }
        });
    }

    /**
     * Takes the lock that one daemon per state folder holds while it runs; released on close or when the
     * process ends, however it ends.
     */
    public Closeable lockDaemon() throws IOException {
        Files.createDirectories(folder);
        FileChannel channel = FileChannel.open(folder.resolve("maintain-daemon.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held in this process
        }
        if (lock == null) {
            channel.close();
            throw new DlstationException(ErrorCode.UNAVAILABLE, "another maintain daemon is running with the state "
                    + "folder " + folder + " ('dlstation maintain status' shows it); stop it first");
        }
        FileLock held = lock;
        return () -> {
            held.release();
            channel.close();
        };
    }
}
