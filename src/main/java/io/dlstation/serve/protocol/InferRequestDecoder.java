package io.dlstation.serve.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an inference request: JSON, or with the binary tensor data extension a JSON header of
 * {@code Inference-Header-Content-Length} bytes followed by the tensors' bytes, in input order, each
 * input saying its {@code binary_data_size}. Binary tensors are views of the body, not copies.
 * Every problem is a bad-input error that names the field.
 */
public final class InferRequestDecoder {
    private static final ObjectMapper JSON = new ObjectMapper(PooledJson.factory());
    private static final JsonFactory FACTORY = JSON.getFactory();

    private InferRequestDecoder() {}

    /**
     * Decodes {@code body}.
     *
     * @param headerLength the {@code Inference-Header-Content-Length} header, or null when the whole body is JSON
     */
    public static InferRequest decode(byte[] body, Integer headerLength) {
        return decode(body, body.length, headerLength);
    }

    /**
     * Decodes the body in {@code body[0, length)} (the array may be longer); binary tensors are views of
     * the array, so it must not change while the request lives.
     *
     * @param headerLength the {@code Inference-Header-Content-Length} header, or null when the whole body is JSON
     */
    public static InferRequest decode(byte[] body, int length, Integer headerLength) {
        if (length < 0 || length > body.length) {
            throw new IllegalArgumentException("length " + length + " is outside the array's " + body.length + " bytes");
        }
        int jsonLength = headerLength == null ? length : headerLength;
        if (jsonLength < 0 || jsonLength > length) {
            throw DlstationException.badInput("Inference-Header-Content-Length " + headerLength + " is outside the body's "
                    + length + " bytes");
        }
        List<PendingInput> pending = new ArrayList<>();
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        String id = null;
        Map<String, Object> parameters = Map.of();
        try (JsonParser p = FACTORY.createParser(body, 0, jsonLength)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the request body");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "parameters" -> parameters = map(p, value, "parameters");
                    case "inputs" -> {
                        expect(p, value, JsonToken.START_ARRAY, "inputs");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            pending.add(input(p, "inputs[" + pending.size() + "]"));
                        }
                    }
                    case "outputs" -> {
                        expect(p, value, JsonToken.START_ARRAY, "outputs");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            outputs.add(output(p, "outputs[" + outputs.size() + "]"));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw DlstationException.badInput("the request body has more after its JSON object"
                        + (headerLength == null ? " (binary tensors need the Inference-Header-Content-Length header)" : ""));
            }
        } catch (JsonProcessingException e) {
            throw notJson(e, "the request body", "send a JSON object {\"inputs\": [...]}");
        } catch (IOException e) {
            throw DlstationException.badInput("the request body cannot be read");
        }
        if (pending.isEmpty()) {
            throw DlstationException.badInput("inputs: the request has no input tensors");
        }
        return new InferRequest(id, parameters, tensors(pending, body, jsonLength, length), outputs);
    }

    private record PendingInput(String field, String name, long[] shape, TensorType type, TokenBuffer data,
            Long binarySize) {}

    private static PendingInput input(JsonParser p, String at) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, at);
        String name = null;
        long[] shape = null;
        String datatype = null;
        TokenBuffer data = null;
        Map<String, Object> parameters = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> name = text(p, value, at + ".name");
                case "datatype" -> datatype = text(p, value, at + ".datatype");
                case "shape" -> shape = shape(p, value, at + ".shape");
                case "parameters" -> parameters = map(p, value, at + ".parameters");
                case "data" -> {
                    data = new TokenBuffer(p);
                    data.copyCurrentStructure(p);
                }
                default -> p.skipChildren();
            }
        }
        if (name == null || name.isBlank()) {
            throw DlstationException.badInput(at + ".name is missing");
        }
        String named = at + " ('" + name + "')";
        if (shape == null) {
            throw DlstationException.badInput(named + ".shape is missing");
        }
        if (datatype == null) {
            throw DlstationException.badInput(named + ".datatype is missing");
        }
        TensorType type = TensorType.parse(datatype, named + ".datatype");
        Object size = parameters.get("binary_data_size");
        Long binarySize = null;
        if (size != null) {
            if (!(size instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
                throw DlstationException.badInput(named + ".parameters.binary_data_size " + size + " is not a byte count");
            }
            binarySize = n.longValue();
            if (data != null) {
                throw DlstationException.badInput(named + " has both data and binary_data_size; send one");
            }
        } else if (data == null) {
            throw DlstationException.badInput(named + ".data is missing (or give parameters.binary_data_size)");
        }
        return new PendingInput(named, name, shape, type, data, binarySize);
    }

    private static InferRequest.RequestedOutput output(JsonParser p, String at) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, at);
        String name = null;
        Map<String, Object> parameters = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> name = text(p, value, at + ".name");
                case "parameters" -> parameters = map(p, value, at + ".parameters");
                default -> p.skipChildren();
            }
        }
        if (name == null || name.isBlank()) {
            throw DlstationException.badInput(at + ".name is missing");
        }
        Object classes = parameters.getOrDefault("classification", 0);
        if (!(classes instanceof Number k) || k.intValue() < 0 || k.doubleValue() != k.intValue()) {
            throw DlstationException.badInput(at + ".parameters.classification " + classes + " is not a count");
        }
        return new InferRequest.RequestedOutput(name, Boolean.TRUE.equals(parameters.get("binary_data")), k.intValue());
    }

    private static List<HostTensor> tensors(List<PendingInput> pending, byte[] body, int offset, int length) {
        List<HostTensor> tensors = new ArrayList<>(pending.size());
        int at = offset;
        for (PendingInput in : pending) {
            long elements = elements(in);
            long bytes = elements * in.type().bytes();
            if (in.binarySize() != null) {
                if (in.binarySize() != bytes) {
                    throw DlstationException.badInput(in.field() + ".parameters.binary_data_size is " + in.binarySize()
                            + " bytes; shape " + java.util.Arrays.toString(in.shape()) + " of " + in.type() + " needs "
                            + bytes);
                }
                if (at + bytes > length) {
                    throw DlstationException.badInput(in.field() + ": the body ends before its " + bytes
                            + " bytes of binary data");
                }
                tensors.add(new HostTensor(in.name(), in.type(), in.shape(), ByteBuffer.wrap(body, at, (int) bytes)));
                at += (int) bytes;
            } else {
                tensors.add(new HostTensor(in.name(), in.type(), in.shape(), values(in, elements)));
            }
        }
        if (at != length) {
            throw DlstationException.badInput("the body has " + (length - at) + " bytes after the JSON header that no "
                    + "input's binary_data_size accounts for");
        }
        return tensors;
    }

    private static long elements(PendingInput in) {
        try {
            return HostTensor.elementCount(in.shape());
        } catch (ArithmeticException e) {
            throw DlstationException.badInput(in.field() + ".shape is too large");
        }
    }

    /** Reads {@code data}, flat or nested in any way, row-major. */
    private static ByteBuffer values(PendingInput in, long elements) {
        TensorWriter writer = new TensorWriter(in.type(), elements, in.field() + ".data");
        try (JsonParser p = in.data().asParser()) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_ARRAY, END_ARRAY -> { }
                    case VALUE_NUMBER_INT -> writer.writeLong(p.getLongValue());
                    case VALUE_NUMBER_FLOAT -> writer.writeDouble(p.getDoubleValue());
                    case VALUE_TRUE, VALUE_FALSE -> writer.writeBoolean(t == JsonToken.VALUE_TRUE);
                    default -> throw DlstationException.badInput(in.field() + ".data holds " + describe(t)
                            + "; it takes numbers" + (in.type() == TensorType.BOOL ? " or true/false" : "")
                            + " in (nested) arrays");
                }
                if (writer.count() > elements) {
                    break;
                }
            }
        } catch (JsonProcessingException e) {
            throw notJson(e, in.field() + ".data", null);
        } catch (IOException e) {
            throw DlstationException.badInput(in.field() + ".data cannot be read");
        }
        if (writer.count() != elements) {
            throw DlstationException.badInput(in.field() + ".data has " + (writer.count() > elements ? "more than "
                    + elements : Long.toString(writer.count())) + " values; shape " + java.util.Arrays.toString(in.shape())
                    + " needs " + elements);
        }
        return writer.finish();
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> t.asString();
            default -> "'" + t.asString() + "'";
        };
    }

    private static long[] shape(JsonParser p, JsonToken value, String at) throws IOException {
        expect(p, value, JsonToken.START_ARRAY, at);
        List<Long> dims = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0) {
                throw DlstationException.badInput(at + " must list whole numbers of 0 or more: " + p.getText());
            }
            dims.add(p.getLongValue());
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static String text(JsonParser p, JsonToken value, String at) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw DlstationException.badInput(at + " must be a string, not " + describe(value));
        }
        return p.getText();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonParser p, JsonToken value, String at) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        expect(p, value, JsonToken.START_OBJECT, at);
        Map<String, Object> map = JSON.readValue(p, LinkedHashMap.class);
        map.values().removeIf(java.util.Objects::isNull);
        return map;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken wanted, String at) {
        if (actual != wanted) {
            throw DlstationException.badInput(at + " must be " + (wanted == JsonToken.START_OBJECT ? "a JSON object"
                    : "a JSON array") + ", not " + (actual == null ? "empty" : describe(actual)));
        }
    }

    /**
     * A body the parser refused, with where and what in the product's words.
     *
     * @param what what was being read, e.g. "the request body"
     * @param fix what to send instead; null for nothing
     */
    static DlstationException notJson(JsonProcessingException e, String what, String fix) {
        return JsonBodyErrors.of(e, what, FACTORY.streamReadConstraints(), fix);
    }
}
