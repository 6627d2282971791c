package io.dlstation.serve.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests of the Open Inference Protocol: JSON, binary tensors, and what is wrong with bad ones. */
class InferRequestDecoderTest {
    private static InferRequest json(String text) {
        return InferRequestDecoder.decode(text.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void nestedOrFlatDataOfEveryTypeIsReadRowMajor() {
        InferRequest r = json("""
                {"id": "a", "parameters": {"priority": "high", "timeout": 5000},
                 "inputs": [
                   {"name": "f", "shape": [2, 2], "datatype": "FP32", "data": [[1, 2.5], [3, 4]]},
                   {"name": "h", "shape": [1, 2], "datatype": "FP16", "data": [0.5, -2]},
                   {"name": "l", "datatype": "INT64", "shape": [1, 2], "data": [9007199254740993, -1]},
                   {"name": "b", "shape": [2], "datatype": "BOOL", "data": [true, false]},
                   {"name": "u", "shape": [1], "datatype": "UINT8", "data": [255]}],
                 "outputs": [{"name": "out", "parameters": {"binary_data": true, "classification": 3}}]}""");
        assertThat(r.id()).isEqualTo("a");
        assertThat(r.parameters()).containsEntry("priority", "high").containsEntry("timeout", 5000);
        HostTensor f = r.inputs().get(0);
        assertThat(f.shape()).containsExactly(2, 2);
        assertThat(List.of(f.getDouble(0), f.getDouble(1), f.getDouble(3))).containsExactly(1.0, 2.5, 4.0);
        assertThat(r.inputs().get(1).getDouble(1)).isEqualTo(-2.0);
        assertThat(r.inputs().get(2).view().getLong(0)).isEqualTo(9007199254740993L);
        assertThat(r.inputs().get(3).getDouble(0)).isEqualTo(1.0);
        assertThat(r.inputs().get(4).getDouble(0)).isEqualTo(255.0);
        assertThat(r.outputs()).containsExactly(new InferRequest.RequestedOutput("out", true, 3));
    }

    @Test
    void binaryTensorsAreViewsOfTheBodyInInputOrder() {
        byte[] header = ("{\"inputs\": [{\"name\": \"a\", \"shape\": [2], \"datatype\": \"FP32\", \"parameters\": "
                + "{\"binary_data_size\": 8}}, {\"name\": \"b\", \"shape\": [1], \"datatype\": \"INT32\", \"data\": [7]}, "
                + "{\"name\": \"c\", \"shape\": [1], \"datatype\": \"INT64\", \"parameters\": {\"binary_data_size\": 8}}]}")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(header.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        body.put(header).putFloat(1.5f).putFloat(-3f).putLong(42L);

        InferRequest r = InferRequestDecoder.decode(body.array(), header.length);

        assertThat(r.inputs().get(0).getDouble(1)).isEqualTo(-3.0);
        assertThat(r.inputs().get(1).getDouble(0)).isEqualTo(7.0);
        assertThat(r.inputs().get(2).view().getLong(0)).isEqualTo(42L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"inputs\": [{\"name\": \"x\" | not valid JSON",
        "{\"inputs\": []} | the request has no input tensors",
        "{\"inputs\": [{\"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]} | inputs[0].name is missing",
        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1]}]} | inputs[0] ('x').shape is missing",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"data\": [1]}]} | inputs[0] ('x').datatype is missing",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [1]}]} | datatype 'BYTES' is not a tensor type",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"BF16\", \"data\": [1]}]} | bfloat16 is not supported",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\"}]} | ('x').data is missing",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1, 2]}]} | has 2 values; shape [3] needs 3",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1, 2]}]} | has more than 1 values",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [\"a\"]}]} | data holds a string",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"INT32\", \"data\": [1.5]}]} | not a whole number",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"UINT8\", \"data\": [300]}]} | outside UINT8's range",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [-1], \"datatype\": \"FP32\", \"data\": [1]}]} | must list whole numbers of 0 or more",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 4}}]} | ends before its 4 bytes",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]} 7 | more after its JSON object",
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"classification\": -1}}]} | classification -1 is not a count",
    })
    void badRequestsNameTheField(String body, String message) {
        assertThatThrownBy(() -> json(body)).isInstanceOf(DlstationException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((DlstationException) e).code().httpStatus()).isEqualTo(400));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\": +1} | line 1, column 8: unexpected character '+' in a number (JSON numbers take no plus sign)",
        "{\"a\": \"open | line 1, column 12: the body ends before the JSON is complete",
        "{\"a\": [1}] | line 1, column 9: unexpected '}' where ']' should close the array opened at line 1, column 7",
        "{\"a\": \"\\q\"} | '\\q' is not a JSON escape",
        "{\"a\" 1} | unexpected character '1' where ':' should follow the field name",
        "{\"a\": 1 \"b\": 2} | unexpected character '\"' where ',' or '}' should be",
        "{\"a\": 01} | not a valid number (leading zeroes not allowed)",
    })
    void syntaxErrorsSayWhatAndWhereInPlainWords(String body, String message) {
        assertThatThrownBy(() -> json(body)).isInstanceOf(DlstationException.class)
                .hasMessageStartingWith("the request body is not valid JSON at ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern(
                        "[A-Za-z]+\\.[A-Z][A-Za-z]+|`|Source|Feature|Exception|\\(\\)"));
    }

    @Test
    void limitsAndBytesAreNamedWithoutTheParsersWords() {
        assertThatThrownBy(() -> json("{\"a\": " + "1".repeat(2000) + "}"))
                .hasMessage("the request body holds a number of more than 1000 characters");
        byte[] latin1 = "{\"a\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> InferRequestDecoder.decode(latin1, null))
                .hasMessageContaining("the body is not UTF-8 text (byte 0x");
    }

    @Test
    void binarySizesAndHeaderLengthsAreChecked() {
        byte[] header = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 4}}]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(header.length + 4).put(header).array();
        assertThatThrownBy(() -> InferRequestDecoder.decode(body, header.length))
                .hasMessageContaining("binary_data_size is 4 bytes; shape [2] of FP32 needs 8");
        assertThatThrownBy(() -> InferRequestDecoder.decode(body, body.length + 1))
                .hasMessageContaining("Inference-Header-Content-Length");
        byte[] extra = ByteBuffer.allocate(header.length + 12).put(header).array();
        assertThatThrownBy(() -> InferRequestDecoder.decode(extra, header.length))
                .hasMessageContaining("binary_data_size is 4 bytes");
    }
}
