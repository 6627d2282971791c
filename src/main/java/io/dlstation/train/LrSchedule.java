package io.dlstation.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dlstation.error.DlstationException;
import java.util.Locale;

/** How the learning rate moves over a run after its warm-up ({@code --lr-schedule}). */
public enum LrSchedule {
    /** The learning rate stays as given. */
    CONSTANT("constant"),
    /** Cosine decay to 0 over the run. */
    COSINE("cosine");

    private final String label;

    LrSchedule(String label) {
        this.label = label;
    }

    /** The name users type, e.g. "cosine". */
    @JsonValue
    public String label() {
        return label;
    }

    /** Parses constant or cosine in any case; anything else is a bad-input error that names both. */
    @JsonCreator
    public static LrSchedule parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (LrSchedule schedule : values()) {
            if (schedule.label.equals(value)) {
                return schedule;
            }
        }
        throw DlstationException.badInput("--lr-schedule " + value + ": use constant or cosine");
    }

    @Override
    public String toString() {
        return label;
    }
}
