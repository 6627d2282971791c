package io.dlstation.serve.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dlstation.error.DlstationException;
import io.dlstation.serve.protocol.TensorType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The body every request of a run sends: random inputs of the shapes and types the model's metadata
 * lists, {@code batch} samples each, in the binary tensor extension (asking for binary outputs too, so
 * neither side spends its time on number formatting) or as JSON.
 *
 * @param body the request body
 * @param headerLength the {@code Inference-Header-Content-Length}, or null for a JSON body
 */
record Payload(byte[] body, Integer headerLength) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A payload for the model described by {@code metadata} (the answer of {@code GET /v2/models/{m}}). */
    static Payload of(JsonNode metadata, int batch, boolean binary, long seed) {
        JsonNode inputs = metadata.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw DlstationException.badInput("the model's metadata lists no inputs");
        }
        Random random = new Random(seed);
        ObjectNode header = JSON.createObjectNode();
        ArrayNode list = header.putArray("inputs");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (JsonNode in : inputs) {
            String name = in.get("name").asText();
            TensorType type = TensorType.parse(in.get("datatype").asText(), "input '" + name + "' datatype");
            ObjectNode tensor = list.addObject();
            tensor.put("name", name);
            ArrayNode shape = tensor.putArray("shape");
            long elements = 1;
            for (int i = 0; i < in.get("shape").size(); i++) {
                long d = in.get("shape").get(i).asLong();
                if (i == 0 && d == -1) {
                    d = batch;
                } else if (d < 0) {
                    throw DlstationException.badInput("input '" + name + "' has a variable dimension " + in.get("shape")
                            + "; bench serve sends fixed shapes only");
                }
                shape.add(d);
                elements *= d;
            }
            tensor.put("datatype", type.name());
            ByteBuffer values = values(type, elements, random);
            if (binary) {
                tensor.putObject("parameters").put("binary_data_size", values.remaining());
                data.write(values.array(), 0, values.remaining());
            } else {
                ArrayNode array = tensor.putArray("data");
                for (long i = 0; i < elements; i++) {
                    addValue(array, type, values, (int) i);
                }
            }
        }
        if (binary) {
            header.putObject("parameters").put("binary_data_output", true);
        }
        try {
            byte[] json = JSON.writeValueAsBytes(header);
            if (!binary) {
                return new Payload(json, null);
            }
            byte[] body = ByteBuffer.allocate(json.length + data.size()).put(json).put(data.toByteArray()).array();
            return new Payload(body, json.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteBuffer values(TensorType type, long elements, Random random) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(elements * type.bytes())).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < elements; i++) {
            switch (type) {
                case BOOL -> b.put((byte) random.nextInt(2));
                case UINT8, INT8 -> b.put((byte) random.nextInt(100));
                case INT32 -> b.putInt(random.nextInt(1000));
                case INT64 -> b.putLong(random.nextInt(1000));
                case FP16 -> b.putShort(Float.floatToFloat16((float) random.nextGaussian()));
                case FP32 -> b.putFloat((float) random.nextGaussian());
                case FP64 -> b.putDouble(random.nextGaussian());
            }
        }
        return b.flip();
    }

    private static void addValue(ArrayNode array, TensorType type, ByteBuffer b, int i) {
        switch (type) {
            case BOOL -> array.add(b.get(i) != 0);
            case UINT8, INT8 -> array.add(b.get(i));
            case INT32 -> array.add(b.getInt(i * 4));
            case INT64 -> array.add(b.getLong(i * 8));
            case FP16 -> array.add(Float.float16ToFloat(b.getShort(i * 2)));
            case FP32 -> array.add(b.getFloat(i * 4));
            case FP64 -> array.add(b.getDouble(i * 8));
        }
    }

    @Override
    public String toString() {
        return body.length + " bytes" + (headerLength == null ? " of JSON" : " (JSON header " + headerLength + ")");
    }

    /** The body as text, for messages. */
    String preview() {
        return new String(body, 0, Math.min(body.length, headerLength == null ? 200 : headerLength), StandardCharsets.UTF_8);
    }
}
