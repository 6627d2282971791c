package io.dlstation.tensorboard;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link EventFileReader} found in one event file.
 *
 * @param fileVersion the file version the file announces ({@code brain.Event:2}), or "" when no record names one
 * @param scalars every scalar in file order, one per summary value
 * @param truncatedAt the offset of an incomplete last record (a writer stopped mid-record), or empty when the
 *     file ends on a record boundary; the scalars before it are intact
 */
public record EventFileContents(String fileVersion, List<ScalarEvent> scalars, OptionalLong truncatedAt) {
    public EventFileContents {
        Objects.requireNonNull(fileVersion, "fileVersion");
        scalars = List.copyOf(scalars);
        Objects.requireNonNull(truncatedAt, "truncatedAt");
    }

    /** True when the file ends on a record boundary. */
    public boolean complete() {
        return truncatedAt.isEmpty();
    }
}
