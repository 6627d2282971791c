package io.dlstation.serve.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes an inference response: JSON, plus the binary tensor data extension for outputs asked for as
 * binary (their bytes follow the JSON, which is then {@link Encoded#headerLength} bytes long).
 *
 * <p>JSON answers of floating outputs are the common case of a classifier (a thousand numbers per
 * image), so the numbers are written without a string each: the JDK formats a float into a reused
 * builder (the same shortest round-trip digits as {@code Float.toString}), which goes out as a raw
 * value. The output buffer is sized for the tensors up front, and Jackson's buffers come from a
 * {@linkplain PooledJson pool shared by all threads}.
 */
public final class InferResponseEncoder {
    private static final JsonFactory FACTORY = PooledJson.factory();

    private InferResponseEncoder() {}

    /**
     * A response body: the JSON, then the binary parts in output order.
     *
     * @param json the JSON object
     * @param binary the bytes of binary outputs, empty when none
     */
    public record Encoded(byte[] json, List<ByteBuffer> binary) {
        /** The {@code Inference-Header-Content-Length} to send, or null when the body is JSON only. */
        public Integer headerLength() {
            return binary.isEmpty() ? null : json.length;
        }

        /** The whole body's length. */
        public long length() {
            long n = json.length;
            for (ByteBuffer b : binary) {
                n += b.remaining();
            }
            return n;
        }
    }

    /** Encodes the response of {@code model} to the request {@code id} (null: none). */
    public static Encoded encode(String model, String version, String id, List<OutputTensor> outputs) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(estimatedJsonBytes(outputs));
        List<ByteBuffer> binary = new ArrayList<>();
        try (JsonGenerator g = FACTORY.createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("model_name", model);
            g.writeStringField("model_version", version);
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeArrayFieldStart("outputs");
            for (OutputTensor output : outputs) {
                HostTensor t = output.tensor();
                g.writeStartObject();
                g.writeStringField("name", t.name());
                List<String> classes = output.classification() > 0 ? classify(output) : null;
                g.writeStringField("datatype", classes != null ? "BYTES" : t.type().name());
                g.writeArrayFieldStart("shape");
                if (classes != null) {
                    g.writeNumber(t.shape()[0]);
                    g.writeNumber(classes.size() / Math.max(1, t.shape()[0]));
                } else {
                    for (long d : t.shape()) {
                        g.writeNumber(d);
                    }
                }
                g.writeEndArray();
                if (output.binary()) {
                    ByteBuffer bytes = classes != null ? strings(classes) : t.view();
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", bytes.remaining());
                    g.writeEndObject();
                    binary.add(bytes);
                } else {
                    g.writeArrayFieldStart("data");
                    if (classes != null) {
                        for (String c : classes) {
                            g.writeString(c);
                        }
                    } else {
                        writeValues(g, t);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Encoded(json.toByteArray(), List.copyOf(binary));
    }

    private static void writeValues(JsonGenerator g, HostTensor t) throws IOException {
        ByteBuffer data = t.view();
        long n = t.elements();
        FloatText text = new FloatText();
        for (int i = 0; i < n; i++) {
            switch (t.type()) {
                case BOOL -> g.writeBoolean(data.get(i) != 0);
                case UINT8 -> g.writeNumber(data.get(i) & 0xff);
                case INT8 -> g.writeNumber(data.get(i));
                case INT32 -> g.writeNumber(data.getInt(i * 4));
                case INT64 -> g.writeNumber(data.getLong(i * 8));
                case FP16 -> text.write(g, Float.float16ToFloat(data.getShort(i * 2)));
                case FP32 -> text.write(g, data.getFloat(i * 4));
                case FP64 -> text.write(g, data.getDouble(i * 8));
            }
        }
    }

    /** Numbers formatted into one reused builder and written as raw values; NaN and infinities go through Jackson. */
    private static final class FloatText {
        private final StringBuilder digits = new StringBuilder(32);
        private char[] chars = new char[32];

        void write(JsonGenerator g, float v) throws IOException {
            if (!Float.isFinite(v)) {
                g.writeNumber(v);
                return;
            }
            digits.setLength(0);
            flush(g, digits.append(v));
        }

        void write(JsonGenerator g, double v) throws IOException {
            if (!Double.isFinite(v)) {
                g.writeNumber(v);
                return;
            }
            digits.setLength(0);
            flush(g, digits.append(v));
        }

        private void flush(JsonGenerator g, StringBuilder number) throws IOException {
            int length = number.length();
            if (chars.length < length) {
                chars = new char[length];
            }
            number.getChars(0, length, chars, 0);
            g.writeRawValue(chars, 0, length);
        }
    }

    /** Room for the JSON of {@code outputs}: the fields, plus up to 16 characters per number written as text. */
    static int estimatedJsonBytes(List<OutputTensor> outputs) {
        long bytes = 256;
        for (OutputTensor output : outputs) {
            bytes += 128;
            if (!output.binary() && output.classification() == 0) {
                bytes += 16 * output.tensor().elements();
            }
        }
        return (int) Math.min(bytes, 64 << 20);
    }

    /** Each row's top k as "score:index[:label]", rows one after another. */
    static List<String> classify(OutputTensor output) {
        HostTensor t = output.tensor();
        int rows = (int) t.shape()[0];
        int classes = rows == 0 ? 0 : (int) (t.elements() / rows);
        int k = Math.min(output.classification(), classes);
        List<String> result = new ArrayList<>(rows * k);
        for (int r = 0; r < rows; r++) {
            for (int index : TopK.indices(t, (long) r * classes, classes, k)) {
                double score = t.getDouble((long) r * classes + index);
                String label = index < output.labels().size() ? ":" + output.labels().get(index) : "";
                result.add(String.format(Locale.ROOT, "%.6f:%d%s", score, index, label));
            }
        }
        return result;
    }

    /** BYTES in the binary extension: each string as a 4-byte little-endian length and its UTF-8 bytes. */
    private static ByteBuffer strings(List<String> values) {
        List<byte[]> encoded = values.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        ByteBuffer out = ByteBuffer.allocate(encoded.stream().mapToInt(b -> b.length + 4).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        encoded.forEach(b -> out.putInt(b.length).put(b));
        return out.flip();
    }
}
