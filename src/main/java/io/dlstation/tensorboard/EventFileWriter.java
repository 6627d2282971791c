package io.dlstation.tensorboard;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends scalars to one TensorBoard event file, {@code events.out.tfevents.<unix seconds>.<hostname>} in the
 * given directory, which {@code tensorboard --logdir} shows without TensorFlow installed.
 *
 * <p>Each call writes one {@code Event} record stamped with the injected clock's time. Records are buffered:
 * {@link #flush()} hands them to the operating system (a live TensorBoard sees them then), {@link #close()}
 * flushes and closes. After {@code close()} every write throws {@link IllegalStateException}; an I/O failure
 * is a {@link DlstationException} naming the file.
 *
 * <p>Concurrency: safe for several threads (a training loop and a sampler, say). Events are encoded and
 * framed outside the lock; one lock then guards the stream, and each record is written by one call under
 * it, so records never interleave. The lock is a {@link ReentrantLock}, which does not pin virtual threads.
 */
public final class EventFileWriter implements Closeable {
    /** The file version of the first record; TensorBoard reads files that announce it. */
    static final String FILE_VERSION = "brain.Event:2";
    static final String FILE_PREFIX = "events.out.tfevents.";

    private static final int MAX_NAME_ATTEMPTS = 10_000;

    private final Path file;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Null once closed. Guarded by {@link #lock}. */
    private OutputStream out;

    private EventFileWriter(Path file, OutputStream out, Clock clock) {
        this.file = file;
        this.out = out;
        this.clock = clock;
    }

    /**
     * Creates {@code directory} if needed and a new event file in it, named for the clock's current second and
     * this host; when that name is taken (another writer in the same second) a numeric suffix is added. The
     * file starts with the {@code brain.Event:2} file-version record.
     */
    public static EventFileWriter create(Path directory, Clock clock) {
        return create(directory, clock, localHostName());
    }

    static EventFileWriter create(Path directory, Clock clock, String hostName) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(clock, "clock");
        Instant now = clock.instant();
        String base = FILE_PREFIX + now.getEpochSecond() + "." + hostName;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw DlstationException.badInput("Cannot create the TensorBoard directory " + directory + ": "
                    + e.getMessage() + "; choose a writable directory");
        }
        for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
            Path file = directory.resolve(attempt == 0 ? base : base + "." + attempt);
            OutputStream stream;
            try {
                stream = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                throw DlstationException.badInput("Cannot create the TensorBoard event file " + file + ": "
                        + e.getMessage() + "; choose a writable directory");
            }
            EventFileWriter writer = new EventFileWriter(file, new BufferedOutputStream(stream), clock);
            try {
                writer.append(EventEncoder.fileVersion(seconds(now), FILE_VERSION));
                writer.flush();
            } catch (RuntimeException e) {
                try {
                    writer.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return writer;
        }
        throw new DlstationException(ErrorCode.INTERNAL,
                "No free TensorBoard event file name in " + directory + " after " + MAX_NAME_ATTEMPTS + " tries of " + base);
    }

    /** The file this writer appends to. */
    public Path file() {
        return file;
    }

    /** Writes one scalar: {@code value} is stored as a 32-bit float, as TensorBoard's {@code simple_value} is. */
    public void scalar(String tag, double value, long step) {
        Map<String, Double> one = new LinkedHashMap<>(1);
        one.put(tag, value);
        scalars(one, step);
    }

    /**
     * Writes several scalars of the same step as one event, in the map's iteration order; an empty map
     * writes nothing.
     */
    public void scalars(Map<String, Double> values, long step) {
        Objects.requireNonNull(values, "values");
        values.forEach((tag, value) -> {
            if (tag == null || tag.isEmpty()) {
                throw new IllegalArgumentException("TensorBoard tag is empty: \"" + tag + "\"");
            }
            Objects.requireNonNull(value, () -> "value of TensorBoard tag " + tag);
        });
        append(values.isEmpty() ? null : EventEncoder.scalars(seconds(clock.instant()), step, values));
    }

    /** Hands the buffered records to the operating system, so a running TensorBoard sees them. */
    public void flush() {
        lock.lock();
        try {
            ensureOpen();
            out.flush();
        } catch (IOException e) {
            throw ioFailure("flush", e);
        } finally {
            lock.unlock();
        }
    }

    /** Flushes and closes the file; closing again does nothing. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (out != null) {
                OutputStream closing = out;
                out = null;
                closing.close();
            }
        } catch (IOException e) {
            throw ioFailure("close", e);
        } finally {
            lock.unlock();
        }
    }

    /** Writes one framed event; a null event only checks that the writer is open. */
    private void append(byte[] event) {
        byte[] record = event == null ? null : RecordFraming.frame(event);
        lock.lock();
        try {
            ensureOpen();
            if (record != null) {
                out.write(record);
            }
        } catch (IOException e) {
            throw ioFailure("write to", e);
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (out == null) {
            throw new IllegalStateException("TensorBoard event file " + file + " is closed");
        }
    }

    private DlstationException ioFailure(String action, IOException e) {
        return new DlstationException(ErrorCode.INTERNAL,
                "Cannot " + action + " TensorBoard event file " + file + ": " + e.getMessage(), e);
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    /** This host's name as TensorBoard's writers put it in file names; "localhost" when it cannot be found. */
    static String localHostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            name = null;
        }
        if (name == null || name.isBlank()) {
            return "localhost";
        }
        // a file name, whatever the resolver says
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
