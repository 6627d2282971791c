package io.dlstation.data;

import io.dlstation.error.DlstationException;

/** Opens the data source a {@code --data} spec names, as its training and validation parts. */
public final class Datasets {
    /** The smallest image side the shapes set is drawn at. */
    public static final int MIN_SHAPES_SIZE = 16;
    /** The smallest image side an image folder is cut to. */
    public static final int MIN_FOLDER_SIZE = 8;
    /** The largest image side either is made at. */
    public static final int MAX_SIZE = 2048;

    private Datasets() {}

    /** {@link #open(DataSpec, int, long, DataOptions)} for the text of {@code --data}. */
    public static DatasetSplit open(String spec, int imageSize, long seed, DataOptions options) {
        return open(DataSpec.parse(spec), imageSize, seed, options);
    }

    /**
     * The training and validation sets of {@code spec}, every sample {@code imageSize x imageSize x 3}.
     *
     * @throws DlstationException bad input: an image size out of range, or a folder that is missing,
     *     empty or laid out wrongly
     * @throws IllegalArgumentException for {@link DataSpec.Kind#SYNTHETIC}, which the trainer makes itself
     */
    public static DatasetSplit open(DataSpec spec, int imageSize, long seed, DataOptions options) {
        return switch (spec.kind()) {
            case SHAPES -> {
                checkSize(imageSize, MIN_SHAPES_SIZE, "the shapes set");
                yield ShapesDataset.split(seed, options.shapesTrainSize(), options.shapesValidationSize(), imageSize);
            }
            case IMAGE_FOLDER -> {
                checkSize(imageSize, MIN_FOLDER_SIZE, "an image folder");
                yield ImageFolderDataset.open(spec.folder(), imageSize, seed, options.validationFraction());
            }
            case SYNTHETIC -> throw new IllegalArgumentException(
                    "synthetic data is made by the trainer on the device; there is no dataset to open");
        };
    }

    private static void checkSize(int imageSize, int min, String what) {
        if (imageSize < min || imageSize > MAX_SIZE) {
            throw DlstationException.badInput("image size " + imageSize + " is out of range for " + what
                    + ": use " + min + " to " + MAX_SIZE + " pixels (e.g. 32, 64 or 224)");
        }
    }
}
