package io.dlstation.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dlstation.error.DlstationException;
import java.util.Locale;

/** The optimisers a training run can use ({@code --optimizer}), by the names users type. */
public enum OptimizerKind {
    /** SGD with momentum and weight decay. */
    SGD("sgd", 0.05f),
    /** AdamW: Adam with decoupled weight decay. */
    ADAMW("adamw", 1e-3f);

    private final String label;
    private final float defaultLearningRate;

    OptimizerKind(String label, float defaultLearningRate) {
        this.label = label;
        this.defaultLearningRate = defaultLearningRate;
    }

    /** The name users type, e.g. "adamw". */
    @JsonValue
    public String label() {
        return label;
    }

    /** The learning rate used when none is given: 0.05 for SGD, 0.001 for AdamW. */
    public float defaultLearningRate() {
        return defaultLearningRate;
    }

    /** Parses sgd or adamw in any case; anything else is a bad-input error that names both. */
    @JsonCreator
    public static OptimizerKind parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (OptimizerKind kind : values()) {
            if (kind.label.equals(value)) {
                return kind;
            }
        }
        throw DlstationException.badInput("--optimizer " + value + ": use sgd or adamw");
    }

    @Override
    public String toString() {
        return label;
    }
}
