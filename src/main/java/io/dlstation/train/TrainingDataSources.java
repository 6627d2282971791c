package io.dlstation.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.dlstation.data.DataOptions;
import io.dlstation.data.DataSpec;
import io.dlstation.data.DatasetSplit;
import io.dlstation.data.Datasets;
import io.dlstation.data.ImageFolderDataset;
import io.dlstation.data.SkippedImage;
import java.util.function.Consumer;

/** Opens what {@code --data} names as the {@link TrainingData} of a run. */
public final class TrainingDataSources {
    /** Classes of synthetic data (random labels). */
    static final int SYNTHETIC_CLASSES = 10;

    private TrainingDataSources() {}

    /**
     * @param manager the run's manager on the training device (owns device-side constants)
     * @param computeType float32, or float16 under mixed precision
     * @param warnings receives a line about unreadable images that were skipped
     */
    public static TrainingData open(TrainSettings settings, NDManager manager, DataType computeType,
            Consumer<String> warnings) {
        DataSpec spec = settings.data();
        if (spec.kind() == DataSpec.Kind.SYNTHETIC) {
            return new SyntheticData(settings.model().takesSequences(), settings.inputSize(), SYNTHETIC_CLASSES,
                    settings.trainSize(), computeType, manager);
        }
        DatasetSplit split = Datasets.open(spec, settings.inputSize(), settings.seed(), new DataOptions(
                settings.trainSize(), settings.validationSize(), ImageFolderDataset.DEFAULT_VALIDATION_FRACTION));
        if (!split.skipped().isEmpty()) {
            warnings.accept(SkippedImage.summary(split.skipped(), 5));
        }
        return new ImageData(split, new ImageTensors(manager, computeType), settings.seed(), settings.workers(),
                spec.toString());
    }
}
