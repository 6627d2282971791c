package io.dlstation.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RecordFramingTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void crc32cOfTheStandardCheckString() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);

        assertThat(RecordFraming.crc32c(check, 0, check.length)).isEqualTo(0xE3069283);
    }

    @Test
    void maskRotatesRightBy15AndAddsTheDelta() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);

        // ((0xE3069283 >>> 15) | (0xE3069283 << 17)) + 0xa282ead8, mod 2^32, worked out separately
        assertThat(RecordFraming.maskedCrc32c(check, 0, check.length)).isEqualTo(0xC78AB0E5);
    }

    @Test
    void crcCoversOnlyTheGivenRange() {
        byte[] padded = "xx123456789yy".getBytes(StandardCharsets.US_ASCII);

        assertThat(RecordFraming.crc32c(padded, 2, 9)).isEqualTo(0xE3069283);
    }

    @Test
    void frameIsLengthLengthCrcDataDataCrcLittleEndian() {
        byte[] event = HEX.parseHex("09000000000000f83f10032a0a0a080a01611500000040");

        byte[] record = RecordFraming.frame(event);

        // length 23 (uint64 LE), masked crc 0x1ef8cee7, the event, masked crc 0x9d3a1ce8: from an independent
        // bitwise CRC-32C
        assertThat(HEX.formatHex(record)).isEqualTo("1700000000000000" + "e7cef81e"
                + "09000000000000f83f10032a0a0a080a01611500000040" + "e81c3a9d");
    }

    @Test
    void emptyDataStillGetsBothChecksums() {
        byte[] record = RecordFraming.frame(new byte[0]);

        assertThat(record).hasSize(RecordFraming.HEADER_BYTES + RecordFraming.FOOTER_BYTES);
        assertThat(HEX.formatHex(record, 0, 8)).isEqualTo("0000000000000000");
    }
}
