package io.dlstation.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dlstation.error.DlstationException;
import java.util.Locale;

/**
 * Numeric precision of a run. bfloat16 is refused here, before it can reach DJL's PyTorch JNI (which
 * aborts the JVM on it).
 */
public enum Precision {
    /** Everything in float32. */
    FP32("fp32"),
    /** Pure float16 parameters and activations; for inference. */
    FP16("fp16"),
    /** float16 compute with float32 master weights and dynamic loss scaling; for training. */
    FP16_MIXED("fp16-mixed");

    private final String label;

    Precision(String label) {
        this.label = label;
    }

    /** The spelling users type. */
    @JsonValue
    public String label() {
        return label;
    }

    /** Parses fp32, fp16 or fp16-mixed; bf16 in any spelling gets the bfloat16 refusal. */
    @JsonCreator
    public static Precision parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.label.equals(value)) {
                return p;
            }
        }
        if (value.startsWith("bf16") || value.startsWith("bfloat16")) {
            throw DataTypeGuard.bfloat16Refusal();
        }
        throw DlstationException.badInput("precision " + text + ": not known; use fp32, fp16 or fp16-mixed");
    }

    @Override
    public String toString() {
        return label;
    }
}
