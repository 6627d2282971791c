package io.dlstation.tensorboard;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads a TensorBoard event file back, for tests and for checking what a run wrote.
 *
 * <p>Both checksums of every record are verified. A mismatch, or a record whose data is not an
 * {@code Event}, is a {@link DlstationException} naming the file and the record's byte offset. A last
 * record that stops short (its writer was killed mid-write) is not an error: the records before it are
 * returned and {@link EventFileContents#truncatedAt()} gives its offset. The file is streamed, not loaded
 * whole.
 */
public final class EventFileReader {
    private EventFileReader() {}

    /** Reads every record of {@code file}; see the class comment for what counts as an error. */
    public static EventFileContents read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(file, in);
        } catch (NoSuchFileException e) {
            throw new DlstationException(ErrorCode.NOT_FOUND, "TensorBoard event file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new DlstationException(ErrorCode.INTERNAL,
                    "Cannot read TensorBoard event file " + file + ": " + e.getMessage(), e);
        }
    }

    private static EventFileContents read(Path file, InputStream in) throws IOException {
        String fileVersion = null;
        List<ScalarEvent> scalars = new ArrayList<>();
        long offset = 0;
        while (true) {
            byte[] header = in.readNBytes(RecordFraming.HEADER_BYTES);
            if (header.length == 0) {
                return new EventFileContents(fileVersion == null ? "" : fileVersion, scalars, OptionalLong.empty());
            }
            if (header.length < RecordFraming.HEADER_BYTES) {
                return truncated(fileVersion, scalars, offset);
            }
            ByteBuffer head = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            long length = head.getLong(0);
            checkCrc(file, offset, "length", head.getInt(Long.BYTES), RecordFraming.maskedCrc32c(header, 0, Long.BYTES));
            if (length < 0 || length > Integer.MAX_VALUE - RecordFraming.FOOTER_BYTES) {
                throw corrupt(file, offset, "declares a length of " + Long.toUnsignedString(length) + " bytes");
            }
            byte[] rest = in.readNBytes((int) length + RecordFraming.FOOTER_BYTES);
            if (rest.length < length + RecordFraming.FOOTER_BYTES) {
                return truncated(fileVersion, scalars, offset);
            }
            int storedCrc = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN).getInt((int) length);
            checkCrc(file, offset, "data", storedCrc, RecordFraming.maskedCrc32c(rest, 0, (int) length));
            EventDecoder.Decoded event;
            try {
                event = EventDecoder.decode(rest, (int) length);
            } catch (IOException e) {
                throw corrupt(file, offset, "is not a TensorBoard Event (" + e.getMessage() + ")");
            }
            if (fileVersion == null && event.fileVersion() != null) {
                fileVersion = event.fileVersion();
            }
            scalars.addAll(event.scalars());
            offset += RecordFraming.HEADER_BYTES + length + RecordFraming.FOOTER_BYTES;
        }
    }

    private static EventFileContents truncated(String fileVersion, List<ScalarEvent> scalars, long offset) {
        return new EventFileContents(fileVersion == null ? "" : fileVersion, scalars, OptionalLong.of(offset));
    }

    private static void checkCrc(Path file, long offset, String what, int stored, int computed) {
        if (stored != computed) {
            throw corrupt(file, offset, String.format("fails its %s checksum (stored 0x%08x, computed 0x%08x)",
                    what, stored, computed));
        }
    }

    private static DlstationException corrupt(Path file, long offset, String problem) {
        return DlstationException.badInput("TensorBoard event file " + file + " is corrupt: the record at byte offset "
                + offset + " " + problem);
    }
}
