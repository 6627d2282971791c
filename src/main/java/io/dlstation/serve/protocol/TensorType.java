package io.dlstation.serve.protocol;

import io.dlstation.error.DlstationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The tensor data types of the Open Inference Protocol that the engine can hold, by their protocol names.
 * INT16, the unsigned wider types and BF16 are left out: DJL's PyTorch JNI maps none of them.
 */
public enum TensorType {
    BOOL(1),
    UINT8(1),
    INT8(1),
    INT32(4),
    INT64(8),
    FP16(2),
    FP32(4),
    FP64(8);

    private final int bytes;

    TensorType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether the type holds floating-point values. */
    public boolean isFloating() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    /**
     * Parses a protocol type name; {@code field} is named in the error. BF16 is refused (the engine has no
     * bfloat16), BYTES too (no string tensors).
     */
    public static TensorType parse(String name, String field) {
        String value = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        if (value.equals("BF16")) {
            throw DlstationException.badInput(field + " BF16: bfloat16 is not supported by the engine; send FP16 or FP32");
        }
        for (TensorType type : values()) {
            if (type.name().equals(value)) {
                return type;
            }
        }
        throw DlstationException.badInput(field + " '" + name + "' is not a tensor type this server takes; use one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
