package io.dlstation.tensorboard;

import java.util.Objects;

/**
 * One scalar as read back from an event file.
 *
 * @param tag the series name, e.g. {@code train/loss}
 * @param step the x-axis value TensorBoard plots against
 * @param wallTime when it was written, in seconds since the Unix epoch
 * @param value the value, stored as a 32-bit float as TensorBoard's {@code simple_value} is
 */
public record ScalarEvent(String tag, long step, double wallTime, float value) {
    public ScalarEvent {
        Objects.requireNonNull(tag, "tag");
    }
}
