package io.dlstation.data;

/**
 * Sizes and shares for opening a data source.
 *
 * @param shapesTrainSize samples in the shapes training set
 * @param shapesValidationSize samples in the shapes validation set
 * @param validationFraction the share of each class an image folder without train/ and val/ keeps for
 *     validation, from 0 up to (not including) 1
 */
public record DataOptions(int shapesTrainSize, int shapesValidationSize, double validationFraction) {
    /** 8000 + 2000 shapes, 10 % of an image folder for validation. */
    public static final DataOptions DEFAULTS = new DataOptions(8000, 2000, ImageFolderDataset.DEFAULT_VALIDATION_FRACTION);

    public DataOptions {
        if (shapesTrainSize < 1 || shapesValidationSize < 0) {
            throw new IllegalArgumentException("shapesTrainSize < 1 or shapesValidationSize < 0: "
                    + shapesTrainSize + ", " + shapesValidationSize);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction not in [0, 1): " + validationFraction);
        }
    }
}
