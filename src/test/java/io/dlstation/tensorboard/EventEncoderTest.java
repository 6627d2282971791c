package io.dlstation.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventEncoderTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void scalarEventMatchesHandComputedProtobufBytes() {
        byte[] bytes = EventEncoder.scalars(1.5, 3, Map.of("a", 2.0));

        assertThat(HEX.formatHex(bytes)).isEqualTo(
                "09" + "000000000000f83f" // wall_time (1, fixed64): 1.5 as a little-endian double
                + "10" + "03" // step (2, varint): 3
                + "2a" + "0a" // summary (5, length-delimited): 10 bytes
                + "0a" + "08" // Summary.value (1, length-delimited): 8 bytes
                + "0a" + "01" + "61" // Value.tag (1, length-delimited): "a"
                + "15" + "00000040"); // Value.simple_value (2, fixed32): 2.0f little-endian
    }

    @Test
    void fileVersionEventMatchesHandComputedProtobufBytes() {
        byte[] bytes = EventEncoder.fileVersion(1.5, "brain.Event:2");

        assertThat(HEX.formatHex(bytes)).isEqualTo(
                "09" + "000000000000f83f" // wall_time
                + "1a" + "0d" + HEX.formatHex("brain.Event:2".getBytes())); // file_version (3): 13 bytes
    }

    @Test
    void zeroValueIsWrittenBecauseSimpleValueIsAOneofMember() {
        byte[] bytes = EventEncoder.scalars(1.5, 3, Map.of("a", 0.0));

        assertThat(HEX.formatHex(bytes)).endsWith("0a0161" + "15" + "00000000");
    }

    @Test
    void zeroStepIsLeftOutAsProto3Does() {
        byte[] bytes = EventEncoder.scalars(1.5, 0, Map.of("a", 2.0));

        assertThat(HEX.formatHex(bytes)).isEqualTo("09000000000000f83f" + "2a0a0a080a01611500000040");
    }

    @Test
    void negativeStepIsATenByteVarint() {
        byte[] bytes = EventEncoder.scalars(1.5, -1, Map.of("a", 2.0));

        assertThat(HEX.formatHex(bytes)).contains("10" + "ffffffffffffffffff01");
    }

    @Test
    void severalValuesShareOneSummaryInMapOrder() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("b", 1.0);
        values.put("a", -2.0);

        byte[] bytes = EventEncoder.scalars(1.5, 3, values);

        assertThat(HEX.formatHex(bytes)).isEqualTo("09000000000000f83f1003"
                + "2a" + "14" // one summary of 20 bytes
                + "0a08" + "0a0162" + "150000803f" // b = 1.0f
                + "0a08" + "0a0161" + "15000000c0"); // a = -2.0f
    }

    @Test
    void longTagsGetMultiByteLengths() {
        String tag = "t".repeat(200);

        byte[] bytes = EventEncoder.scalars(1.5, 3, Map.of(tag, 1.0));

        // Value = 3 + 200 + 5 = 208 bytes (varint d0 01); Summary = 3 + 208 = 211 (d3 01)
        assertThat(HEX.formatHex(bytes)).startsWith("09000000000000f83f1003" + "2ad301" + "0ad001" + "0ac801");
        assertThat(bytes).hasSize(11 + 3 + 211);
    }
}
