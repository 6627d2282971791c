package io.dlstation.engine;

import io.dlstation.error.DlstationException;
import java.util.Locale;

/**
 * Whether float32 matmuls and convolutions on the GPU may run on TF32 tensor cores ({@code --tf32}).
 *
 * <p>On by default: TF32 keeps float32's range with a 10-bit mantissa inside the multiply, which deep
 * learning training and inference tolerate (NVIDIA trains its reference models with it), and it makes
 * float32 matmuls several times faster on Ampere and newer GPUs. PyTorch turns it on for cuDNN
 * convolutions but off for matmuls, for the sake of general numerical code; a user who needs float32
 * products bit for bit turns it off. Mixed precision (fp16) does not use it for its fp16 products.
 */
public enum Tf32 {
    ON,
    OFF;

    /** Parses {@code on} or {@code off}. */
    public static Tf32 parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "on", "true" -> ON;
            case "off", "false" -> OFF;
            default -> throw DlstationException.badInput("--tf32 " + text + ": give on or off");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
