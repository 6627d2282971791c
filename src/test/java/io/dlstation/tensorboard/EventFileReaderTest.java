package io.dlstation.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileReaderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-14T15:09:26Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** A file of the header record and three one-scalar records; returns it with the records' offsets. */
    private Path threeScalars() {
        try (EventFileWriter writer = EventFileWriter.create(dir, CLOCK, "host")) {
            writer.scalar("loss", 0.5, 1);
            writer.scalar("loss", 0.25, 2);
            writer.scalar("loss", 0.125, 3);
            return writer.file();
        }
    }

    private static long recordSize(byte[] event) {
        return RecordFraming.frame(event).length;
    }

    private static long offsetOfRecord(int index) {
        long offset = recordSize(EventEncoder.fileVersion(1741964966.0, "brain.Event:2"));
        for (int i = 1; i < index; i++) {
            offset += recordSize(EventEncoder.scalars(1741964966.0, i, Map.of("loss", 0.5)));
        }
        return offset;
    }

    @Test
    void truncatedLastRecordIsReportedWithItsOffsetAndTheRestIsKept() throws IOException {
        Path file = threeScalars();
        long size = Files.size(file);
        truncate(file, size - 3);

        EventFileContents contents = EventFileReader.read(file);

        assertThat(contents.complete()).isFalse();
        assertThat(contents.truncatedAt()).hasValue(offsetOfRecord(3));
        assertThat(contents.scalars()).extracting(ScalarEvent::value).containsExactly(0.5f, 0.25f);
    }

    @Test
    void recordCutInsideItsHeaderIsTruncatedToo() throws IOException {
        Path file = threeScalars();
        truncate(file, offsetOfRecord(3) + 5);

        EventFileContents contents = EventFileReader.read(file);

        assertThat(contents.truncatedAt()).hasValue(offsetOfRecord(3));
        assertThat(contents.scalars()).hasSize(2);
    }

    @Test
    void fileEndingOnARecordBoundaryIsComplete() throws IOException {
        Path file = threeScalars();
        truncate(file, offsetOfRecord(3));

        EventFileContents contents = EventFileReader.read(file);

        assertThat(contents.complete()).isTrue();
        assertThat(contents.scalars()).hasSize(2);
    }

    @Test
    void flippedDataByteIsAnErrorNamingTheRecordOffset() throws IOException {
        Path file = threeScalars();
        long record = offsetOfRecord(2);
        flip(file, record + RecordFraming.HEADER_BYTES + 3);

        assertThatThrownBy(() -> EventFileReader.read(file)).isInstanceOf(DlstationException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("byte offset " + record + " ")
                .hasMessageContaining("data checksum");
    }

    @Test
    void flippedLengthByteIsAnErrorNamingTheRecordOffset() throws IOException {
        Path file = threeScalars();
        long record = offsetOfRecord(3);
        flip(file, record + 1);

        assertThatThrownBy(() -> EventFileReader.read(file)).isInstanceOf(DlstationException.class)
                .hasMessageContaining("byte offset " + record + " ")
                .hasMessageContaining("length checksum");
    }

    @Test
    void flippedChecksumByteIsDetected() throws IOException {
        Path file = threeScalars();
        long size = Files.size(file);
        flip(file, size - 1);

        assertThatThrownBy(() -> EventFileReader.read(file)).isInstanceOf(DlstationException.class)
                .hasMessageContaining("byte offset " + offsetOfRecord(3) + " ");
    }

    @Test
    void checksummedBytesThatAreNotAnEventAreAnError() throws IOException {
        Path file = dir.resolve("events.out.tfevents.0.host");
        // field 1 as a length-delimited field claiming 5 bytes of which there is one
        Files.write(file, RecordFraming.frame(new byte[] {0x0a, 0x05, 0x01}));

        assertThatThrownBy(() -> EventFileReader.read(file)).isInstanceOf(DlstationException.class)
                .hasMessageContaining("byte offset 0 is not a TensorBoard Event");
    }

    @Test
    void emptyFileHasNoRecords() throws IOException {
        Path file = Files.createFile(dir.resolve("events.out.tfevents.0.host"));

        EventFileContents contents = EventFileReader.read(file);

        assertThat(contents.fileVersion()).isEmpty();
        assertThat(contents.scalars()).isEmpty();
        assertThat(contents.complete()).isTrue();
    }

    @Test
    void missingFileIsNotFound() {
        Path file = dir.resolve("nothing-here");

        assertThatThrownBy(() -> EventFileReader.read(file)).isInstanceOf(DlstationException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void fieldsItDoesNotReportAreSkipped() throws IOException {
        Path file = dir.resolve("events.out.tfevents.0.host");
        byte[] scalar = EventEncoder.scalars(2.0, 7, Map.of("kept", 4.0));
        // an Event with only graph_def (4): bytes "xyz"; then the scalar event with source_metadata (10) appended
        byte[] graph = {0x22, 0x03, 'x', 'y', 'z'};
        byte[] withMetadata = new byte[scalar.length + 4];
        System.arraycopy(scalar, 0, withMetadata, 0, scalar.length);
        System.arraycopy(new byte[] {0x52, 0x02, 0x0a, 0x00}, 0, withMetadata, scalar.length, 4);
        try (var out = Files.newOutputStream(file)) {
            out.write(RecordFraming.frame(graph));
            out.write(RecordFraming.frame(withMetadata));
        }

        EventFileContents contents = EventFileReader.read(file);

        assertThat(contents.scalars()).containsExactly(new ScalarEvent("kept", 7, 2.0, 4f));
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void flip(Path file, long position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) position] ^= 0x40;
        Files.write(file, bytes);
    }
}
