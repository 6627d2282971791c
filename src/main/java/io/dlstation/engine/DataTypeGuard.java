package io.dlstation.engine;

import ai.djl.ndarray.types.DataType;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;

/**
 * The one place that refuses data types DJL's PyTorch JNI cannot handle. Its JNI maps no bfloat16:
 * asking for it in {@code toType}, {@code Model.setDataType} or a creation op terminates the whole
 * JVM, so every conversion the product makes passes through {@link #requireSupported(DataType)}.
 */
public final class DataTypeGuard {
    private DataTypeGuard() {}

    /** Returns {@code type} when the engine supports it; throws a clear refusal otherwise. */
    public static DataType requireSupported(DataType type) {
        if (type == DataType.BFLOAT16) {
            throw bfloat16Refusal();
        }
        return type;
    }

    /** The refusal users see when they ask for bfloat16. */
    public static DlstationException bfloat16Refusal() {
        return new DlstationException(ErrorCode.UNSUPPORTED,
                "bfloat16 is not supported by DJL's PyTorch engine (its JNI has no bfloat16 mapping and "
                        + "aborts the JVM); use fp16 for inference or fp16-mixed for training "
                        + "(float16 compute, float32 master weights, dynamic loss scaling)");
    }
}
