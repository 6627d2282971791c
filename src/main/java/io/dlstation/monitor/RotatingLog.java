package io.dlstation.monitor;

import io.dlstation.error.DlstationException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;

/**
 * An append-only line file rotated by size or by day (see {@link LogRotation}); each line is flushed
 * as it is written, so {@code tail -f} sees it. Rotation is by rename, which readers see whole.
 *
 * <p>Thread safety: every method holds the log's lock (snapshots and alert events may come from
 * different threads).
 */
public final class RotatingLog implements AutoCloseable {
    private final Path file;
    private final LogRotation rotation;
    private final Clock clock;
    // @GuardedBy("this")
    private Writer out;
    // @GuardedBy("this")
    private long size;
    // @GuardedBy("this"): the day of the current file's lines
    private LocalDate day;

    private RotatingLog(Path file, LogRotation rotation, Clock clock) throws IOException {
        this.file = file;
        this.rotation = rotation;
        this.clock = clock;
        this.day = Files.exists(file)
                ? LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), clock.getZone())
                : LocalDate.now(clock);
        openFile();
    }

    /**
     * Opens {@code file} for appending (creating its folder); the clock's zone decides where a day
     * ends. A file that cannot be written is an error naming {@code --log}.
     */
    public static RotatingLog open(Path file, LogRotation rotation, Clock clock) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new RotatingLog(file, rotation, clock);
        } catch (IOException | SecurityException e) {
            throw DlstationException.badInput("--log " + file + ": cannot be written (" + e.getMessage() + ")");
        }
    }

    /** Appends one line (a newline is added), rotating first when the rotation says so. */
    public synchronized void append(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                throw new IOException("the log is closed");
            }
            LocalDate today = LocalDate.now(clock);
            boolean rotate = rotation.daily() ? !today.equals(day) : size > 0 && size + bytes.length > rotation.maxBytes();
            if (rotate) {
                rotate();
            }
            day = today;
            out.write(line);
            out.write('\n');
            out.flush();
            size += bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException("log " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file lines go to now. */
    public Path file() {
        return file;
    }

    private void rotate() throws IOException {
        out.close();
        int keep = rotation.keep();
        if (keep == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(numbered(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(numbered(i))) {
                    Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }
        openFile();
    }

    private Path numbered(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    private void openFile() throws IOException {
        out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        size = Files.size(file);
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // every line was flushed when written
            }
            out = null;
        }
    }
}
