package io.dlstation.serve.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Responses: JSON data, binary outputs after the JSON header, and top-k classification. */
class InferResponseEncoderTest {
    private static HostTensor scores(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return new HostTensor("scores", TensorType.FP32, new long[] {2, values.length / 2}, b.flip());
    }

    @Test
    void jsonAndBinaryOutputsAndClassification() throws Exception {
        HostTensor t = scores(0.1f, 0.7f, 0.2f, 0.5f, 0.4f, 0.1f);
        InferResponseEncoder.Encoded e = InferResponseEncoder.encode("m", "1", "id7", List.of(
                new OutputTensor(t, false, 0, List.of()),
                new OutputTensor(t, true, 0, List.of()),
                new OutputTensor(t, false, 2, List.of("a", "b", "c"))));

        JsonNode json = new ObjectMapper().readTree(e.json());
        assertThat(json.get("id").asText()).isEqualTo("id7");
        assertThat(json.at("/outputs/0/data").toString()).isEqualTo("[0.1,0.7,0.2,0.5,0.4,0.1]");
        assertThat(json.at("/outputs/1/parameters/binary_data_size").asInt()).isEqualTo(24);
        assertThat(json.at("/outputs/1").has("data")).isFalse();
        assertThat(e.headerLength()).isEqualTo(e.json().length);
        assertThat(e.binary().get(0).order(ByteOrder.LITTLE_ENDIAN).getFloat(4)).isEqualTo(0.7f);
        assertThat(json.at("/outputs/2/datatype").asText()).isEqualTo("BYTES");
        assertThat(json.at("/outputs/2/shape").toString()).isEqualTo("[2,2]");
        assertThat(json.at("/outputs/2/data").toString())
                .isEqualTo("[\"0.700000:1:b\",\"0.200000:2:c\",\"0.500000:0:a\",\"0.400000:1:b\"]");
    }

    @Test
    void jsonNumbersAreTheShortestTextThatReadsBackExactly() throws Exception {
        float[] floats = {0f, -0f, 1f, -1.5f, 0.1f, 1e-40f, Float.MIN_VALUE, Float.MAX_VALUE, 3.4028235e38f, 1.0E-5f,
            123456.79f, 6.1035156e-5f, Float.NaN, Float.POSITIVE_INFINITY};
        java.util.Random random = new java.util.Random(5);
        float[] values = java.util.Arrays.copyOf(floats, floats.length + 2000);
        for (int i = floats.length; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(random.nextInt()); // any bit pattern: subnormals, huge, NaNs
        }
        ByteBuffer f32 = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer f16 = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer f64 = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            f32.putFloat(v);
            f16.putShort(Float.floatToFloat16(v));
            f64.putDouble(v * 1.000000001);
        }
        long[] shape = {values.length};
        JsonNode json = new ObjectMapper().readTree(InferResponseEncoder.encode("m", "1", null, List.of(
                new OutputTensor(new HostTensor("a", TensorType.FP32, shape, f32.flip()), false, 0, null),
                new OutputTensor(new HostTensor("b", TensorType.FP16, shape, f16.flip()), false, 0, null),
                new OutputTensor(new HostTensor("c", TensorType.FP64, shape, f64.flip()), false, 0, null))).json());
        for (int i = 0; i < values.length; i++) {
            assertText(json.at("/outputs/0/data/" + i), Float.toString(values[i]));
            assertText(json.at("/outputs/1/data/" + i), Float.toString(Float.float16ToFloat(f16.getShort(i * 2))));
            assertText(json.at("/outputs/2/data/" + i), Double.toString(f64.getDouble(i * 8)));
        }
        assertThat(json.at("/outputs/0/data/12").asText()).isEqualTo("NaN");
    }

    /** A finite number is written as Java's shortest round-trip text; NaN and infinities as Jackson quotes them. */
    private static void assertText(JsonNode node, String javaText) {
        if (javaText.equals("NaN") || javaText.endsWith("Infinity")) {
            assertThat(node.isTextual()).as(javaText).isTrue();
            assertThat(node.asText()).isEqualTo(javaText);
        } else {
            assertThat(node.isNumber()).as(javaText).isTrue();
            assertThat(new java.math.BigDecimal(node.asText())).isEqualByComparingTo(new java.math.BigDecimal(javaText));
        }
    }

    @Test
    void aJsonOnlyResponseHasNoHeaderLength() {
        assertThat(InferResponseEncoder.encode("m", "1", null, List.of(new OutputTensor(scores(1, 2), false, 0, null)))
                .headerLength()).isNull();
    }

    @Test
    void topKBreaksTiesByIndexAndSkipsNaN() {
        HostTensor t = new HostTensor("x", TensorType.FP32, new long[] {5}, ByteBuffer.allocate(20)
                .order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(Float.NaN).putFloat(3).putFloat(1).putFloat(2).flip());
        assertThat(TopK.indices(t, 0, 5, 3)).containsExactly(2, 4, 0);
        assertThat(TopK.indices(t, 0, 5, 10)).containsExactly(2, 4, 0, 3);
    }
}
