package io.dlstation.serve.protocol;

import io.dlstation.error.DlstationException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes values given as numbers into a little-endian buffer of one tensor type, checking each fits. */
final class TensorWriter {
    private final TensorType type;
    private final String field;
    private ByteBuffer buffer;

    TensorWriter(TensorType type, long expectedElements, String field) {
        this.type = type;
        this.field = field;
        long bytes = Math.max(16, Math.min(expectedElements, 1 << 26) * type.bytes());
        this.buffer = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Elements written so far. */
    long count() {
        return buffer.position() / type.bytes();
    }

    void writeBoolean(boolean value) {
        if (type != TensorType.BOOL) {
            throw DlstationException.badInput(field + " holds true/false, but its datatype is " + type);
        }
        room().put((byte) (value ? 1 : 0));
    }

    void writeLong(long value) {
        switch (type) {
            case BOOL -> room().put((byte) (checked(value, 0, 1) != 0 ? 1 : 0));
            case UINT8 -> room().put((byte) checked(value, 0, 255));
            case INT8 -> room().put((byte) checked(value, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case INT32 -> room().putInt((int) checked(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT64 -> room().putLong(value);
            default -> writeDouble(value);
        }
    }

    void writeDouble(double value) {
        switch (type) {
            case FP16 -> room().putShort(Float.floatToFloat16((float) value));
            case FP32 -> room().putFloat((float) value);
            case FP64 -> room().putDouble(value);
            default -> {
                if (value != Math.rint(value) || Double.isInfinite(value)) {
                    throw DlstationException.badInput(field + " holds " + value + ", which is not a whole number as "
                            + type + " needs");
                }
                writeLong((long) value);
            }
        }
    }

    /** The elements written, from position 0. */
    ByteBuffer finish() {
        return buffer.flip();
    }

    private long checked(long value, long min, long max) {
        if (value < min || value > max) {
            throw DlstationException.badInput(field + " holds " + value + ", outside " + type + "'s range " + min
                    + ".." + max);
        }
        return value;
    }

    private ByteBuffer room() {
        if (buffer.remaining() < 8) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.toIntExact(Math.min(Integer.MAX_VALUE - 8L,
                    buffer.capacity() * 2L))).order(ByteOrder.LITTLE_ENDIAN);
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        return buffer;
    }
}
