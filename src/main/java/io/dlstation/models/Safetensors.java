package io.dlstation.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the safetensors format (Hugging Face's): an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian data. This is what
 * {@code safetensors.torch.save_file(model.state_dict(), ...)} writes.
 *
 * <p>bfloat16 tensors are widened to float32 on the Java side: DJL's PyTorch engine cannot hold
 * bfloat16.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    /** Every tensor of {@code file}, by name, created on {@code manager} (in file order). */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw corrupt(file, "shorter than its 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw corrupt(file, "header length " + headerLength + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            channel.read(headerBytes, 8);
            JsonNode header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart, size - dataStart)
                    .order(ByteOrder.LITTLE_ENDIAN);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : header.properties()) {
                if (!e.getKey().equals("__metadata__")) {
                    tensors.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), data, manager));
                }
            }
            return tensors;
        } catch (IOException e) {
            throw DlstationException.badInput("weights " + file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static NDArray tensor(Path file, String name, JsonNode spec, ByteBuffer data, NDManager manager) {
        String dtype = spec.path("dtype").asText();
        JsonNode shapeNode = spec.path("shape");
        long[] dims = new long[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeNode.get(i).asLong();
        }
        Shape shape = new Shape(dims);
        long begin = spec.path("data_offsets").path(0).asLong(-1);
        long end = spec.path("data_offsets").path(1).asLong(-1);
        int width = switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            case "U8", "I8", "BOOL" -> 1;
            default -> throw corrupt(file, "tensor " + name + " has dtype " + dtype + ", which is not supported");
        };
        if (begin < 0 || end < begin || end > data.capacity() || end - begin != shape.size() * width) {
            throw corrupt(file, "tensor " + name + " has byte range [" + begin + ", " + end + ") that does not match "
                    + "shape " + shape + " of " + dtype);
        }
        ByteBuffer slice = data.slice((int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        return switch (dtype) {
            case "F32" -> manager.create(slice, shape, DataType.FLOAT32);
            case "F16" -> manager.create(slice, shape, DataType.FLOAT16);
            case "F64" -> manager.create(slice, shape, DataType.FLOAT64);
            case "I64" -> manager.create(slice, shape, DataType.INT64);
            case "I32" -> manager.create(slice, shape, DataType.INT32);
            case "I8" -> manager.create(slice, shape, DataType.INT8);
            case "U8" -> manager.create(slice, shape, DataType.UINT8);
            case "BOOL" -> manager.create(slice, shape, DataType.BOOLEAN);
            case "BF16" -> manager.create(widenBfloat16(slice), shape, DataType.FLOAT32);
            default -> throw new IllegalStateException(dtype);
        };
    }

    /** bfloat16 is the top half of a float32: shift each value into place. */
    static ByteBuffer widenBfloat16(ByteBuffer bf16) {
        int n = bf16.remaining() / 2;
        ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out.putInt((bf16.getShort(i * 2) & 0xFFFF) << 16);
        }
        return out.flip();
    }

    private static DlstationException corrupt(Path file, String why) {
        return DlstationException.badInput("weights " + file + ": not a valid safetensors file: " + why);
    }
}
