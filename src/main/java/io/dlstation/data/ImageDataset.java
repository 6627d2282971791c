package io.dlstation.data;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A finite, random-access, deterministic set of labelled RGB images: the same index always gives the
 * same pixels (under the evaluation transform, or under the training transform with an equally seeded
 * generator). Implementations are thread-safe: {@link BatchLoader} reads from several threads at once.
 */
public interface ImageDataset {
    /** The number of samples; indices run from 0 to {@code size() - 1}. */
    int size();

    /** The class names: label {@code i} names {@code classes().get(i)}. */
    List<String> classes();

    /** Every sample comes out {@code height() x width() x 3}. */
    int height();

    /** Every sample comes out {@code height() x width() x 3}. */
    int width();

    /**
     * Writes sample {@code index} as HWC uint8 RGB ({@code height * width * 3} bytes) into
     * {@code pixels} at {@code offset} and returns its label.
     *
     * @param augment non-null: the training transform, drawing its randomness only from this generator;
     *     null: the deterministic evaluation transform
     */
    int read(int index, byte[] pixels, int offset, RandomGenerator augment);

    /** Files found unreadable and left out when this dataset was opened; empty for generated data. */
    default List<SkippedImage> skipped() {
        return List.of();
    }
}
