package io.dlstation.serve;

import ai.djl.ndarray.types.DataType;
import io.dlstation.engine.DataTypeGuard;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.protocol.TensorType;

/** Protocol tensor types to DJL's and back; every DJL type passes the bfloat16 guard. */
final class DjlTypes {
    private DjlTypes() {}

    static DataType of(TensorType type) {
        return DataTypeGuard.requireSupported(switch (type) {
            case BOOL -> DataType.BOOLEAN;
            case UINT8 -> DataType.UINT8;
            case INT8 -> DataType.INT8;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case FP16 -> DataType.FLOAT16;
            case FP32 -> DataType.FLOAT32;
            case FP64 -> DataType.FLOAT64;
        });
    }

    /** The protocol type of a model output (float16 outputs are widened to FP32 before they leave). */
    static TensorType of(DataType type, String model, String output) {
        return switch (type) {
            case BOOLEAN -> TensorType.BOOL;
            case UINT8 -> TensorType.UINT8;
            case INT8 -> TensorType.INT8;
            case INT32 -> TensorType.INT32;
            case INT64 -> TensorType.INT64;
            case FLOAT16, FLOAT32 -> TensorType.FP32;
            case FLOAT64 -> TensorType.FP64;
            default -> throw new DlstationException(ErrorCode.UNSUPPORTED, "model '" + model + "' output '" + output
                    + "' is of type " + type + ", which the server cannot send");
        };
    }
}
