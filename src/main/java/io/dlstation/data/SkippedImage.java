package io.dlstation.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** An image file left out of a dataset, and why (e.g. "not an image", "empty file"). */
public record SkippedImage(Path path, String reason) {
    public SkippedImage {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * One line for the user, e.g. {@code skipped 3 unreadable images: cat/a.jpg (not an image), ...};
     * names at most {@code limit} files, each as its class folder and file name.
     */
    public static String summary(List<SkippedImage> skipped, int limit) {
        StringBuilder s = new StringBuilder("skipped ").append(skipped.size())
                .append(skipped.size() == 1 ? " unreadable image: " : " unreadable images: ");
        int shown = Math.min(Math.max(limit, 1), skipped.size());
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(skipped.get(i).shortName()).append(" (").append(skipped.get(i).reason()).append(')');
        }
        if (shown < skipped.size()) {
            s.append(" and ").append(skipped.size() - shown).append(" more");
        }
        return s.toString();
    }

    /** The class folder and file name, e.g. {@code cat/a.jpg}. */
    public String shortName() {
        Path name = path.getFileName();
        Path parent = path.getParent();
        if (name == null) {
            return path.toString();
        }
        return parent == null || parent.getFileName() == null ? name.toString() : parent.getFileName() + "/" + name;
    }
}
