package io.dlstation.data;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The built-in image-classification set: one filled shape (circle, square, triangle, star or cross) on a
 * soft gradient background, drawn on demand, so a fresh machine trains something real with no download.
 *
 * <p>Each sample has a random background, a shape colour that stands out from it in luminance, a
 * random position, a size from 40 to 80 % of the image (circumscribed diameter, so area does not give
 * the class away), a random rotation and per-pixel noise. Sample {@code i} is drawn from a generator
 * seeded by (seed, stream, i) alone, so it is the same whichever thread draws it and whenever;
 * training and validation samples come from different streams. Labels are balanced: each class has
 * {@code size / 5} or one more samples, in a seeded order. The training transform adds a random
 * horizontal flip; the evaluation transform is the plain image.
 */
public final class ShapesDataset implements ImageDataset {
    /** The class names, in label order. */
    public static final List<String> CLASSES = List.of("circle", "square", "triangle", "star", "cross");

    private static final long TRAIN_STREAM = 0x7472616EL;
    private static final long VALIDATION_STREAM = 0x76616C69L;
    private static final long LABEL_ORDER = -1;

    private final long seed;
    private final long stream;
    private final int imageSize;
    private final byte[] labels;
    private final ThreadLocal<ShapePainter> painters;

    private ShapesDataset(long seed, long stream, int size, int imageSize) {
        if (size < 0) {
            throw new IllegalArgumentException("size < 0: " + size);
        }
        if (imageSize < 8) {
            throw new IllegalArgumentException("imageSize < 8: " + imageSize);
        }
        this.seed = seed;
        this.stream = stream;
        this.imageSize = imageSize;
        this.labels = balancedLabels(size, new SplittableRandom(Seeds.mix(seed, stream, LABEL_ORDER)));
        this.painters = ThreadLocal.withInitial(() -> new ShapePainter(imageSize));
    }

    /**
     * A training set of {@code trainSize} samples and a validation set of {@code validationSize} samples
     * drawn from a different stream, both {@code imageSize x imageSize}.
     */
    public static DatasetSplit split(long seed, int trainSize, int validationSize, int imageSize) {
        return new DatasetSplit(
                new ShapesDataset(seed, TRAIN_STREAM, trainSize, imageSize),
                new ShapesDataset(seed, VALIDATION_STREAM, validationSize, imageSize));
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public List<String> classes() {
        return CLASSES;
    }

    @Override
    public int height() {
        return imageSize;
    }

    @Override
    public int width() {
        return imageSize;
    }

    @Override
    public int read(int index, byte[] pixels, int offset, RandomGenerator augment) {
        Objects.checkIndex(index, labels.length);
        Objects.checkFromIndexSize(offset, imageSize * imageSize * 3, pixels.length);
        int label = labels[index];
        boolean flip = augment != null && augment.nextBoolean();
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, stream, index));
        ShapePainter painter = painters.get();
        painter.paint(label, r);
        painter.copyTo(pixels, offset, flip, r);
        return label;
    }

    /** {@code index % classes} for every index, then shuffled. */
    private static byte[] balancedLabels(int size, SplittableRandom r) {
        int[] order = Seeds.permutation(size, r);
        byte[] labels = new byte[size];
        for (int i = 0; i < size; i++) {
            labels[i] = (byte) (order[i] % CLASSES.size());
        }
        return labels;
    }
}
