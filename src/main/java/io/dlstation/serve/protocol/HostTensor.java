package io.dlstation.serve.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named tensor in host memory, as it travels: its type, its shape (batch dimension first) and its
 * elements, row-major and little-endian, in {@code data} from position 0 to its limit. The buffer may be
 * a view of a larger one (a request body, a batch's output); it is never written after creation.
 */
public record HostTensor(String name, TensorType type, long[] shape, ByteBuffer data) {

    public HostTensor {
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        long expected = elementCount(shape) * type.bytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + Arrays.toString(shape) + " holds "
                    + data.remaining() + " bytes, not " + expected);
        }
    }

    /** The number of elements a shape holds. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The number of elements. */
    public long elements() {
        return elementCount(shape);
    }

    /** A read-only little-endian view of the elements. */
    public ByteBuffer view() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Element {@code i} as a double, whatever the type. */
    public double getDouble(long i) {
        int at = Math.toIntExact(i * type.bytes());
        return switch (type) {
            case BOOL, UINT8 -> data.get(at) & 0xff;
            case INT8 -> data.get(at);
            case INT32 -> data.getInt(at);
            case INT64 -> data.getLong(at);
            case FP16 -> Float.float16ToFloat(data.getShort(at));
            case FP32 -> data.getFloat(at);
            case FP64 -> data.getDouble(at);
        };
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape);
    }
}
