package io.dlstation.tensorboard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing: {@code uint64 length, uint32 masked_crc32c(length), data, uint32 masked_crc32c(data)},
 * all little-endian. The mask keeps a CRC stored inside data that is itself checksummed from cancelling out.
 */
final class RecordFraming {
    /** Bytes before the data: the length and its checksum. */
    static final int HEADER_BYTES = Long.BYTES + Integer.BYTES;
    /** Bytes after the data: its checksum. */
    static final int FOOTER_BYTES = Integer.BYTES;

    private static final int MASK_DELTA = 0xa282ead8;

    private RecordFraming() {}

    /** CRC-32C (Castagnoli) of the bytes, as TFRecord computes it before masking. */
    static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** The masked CRC-32C TFRecord stores: rotated right by 15 bits, plus a constant (mod 2^32). */
    static int maskedCrc32c(byte[] bytes, int offset, int length) {
        int crc = crc32c(bytes, offset, length);
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** One whole record around {@code data}. */
    static byte[] frame(byte[] data) {
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + data.length + FOOTER_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        record.putLong(data.length);
        record.putInt(maskedCrc32c(record.array(), 0, Long.BYTES));
        record.put(data);
        record.putInt(maskedCrc32c(data, 0, data.length));
        return record.array();
    }
}
