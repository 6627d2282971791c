package io.dlstation.maintain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a task run ended. */
public enum Outcome {
    /** Everything done. */
    OK,
    /** Done, with something the operator should look at (a missing folder, a file skipped). */
    WARNING,
    /** Not done, or not all of it: an error, a refused delete, a backup that failed. */
    FAILED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static Outcome of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** The worse of the two. */
    public Outcome and(Outcome other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
