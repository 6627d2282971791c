package io.dlstation.data;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Train and validation parts of one source. */
public record DatasetSplit(ImageDataset train, ImageDataset validation) {
    public DatasetSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }

    /** The unreadable files left out of either part, each once, training part first. */
    public List<SkippedImage> skipped() {
        Set<SkippedImage> all = new LinkedHashSet<>(train.skipped());
        all.addAll(validation.skipped());
        return List.copyOf(all);
    }
}
