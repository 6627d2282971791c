package io.dlstation.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dlstation.error.DlstationException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code --data} names: {@code shapes} (the built-in shapes set), {@code imagefolder:DIR} (images
 * in class subfolders) or {@code synthetic} (random tensors made by the trainer, for measuring speed).
 *
 * @param folder the image folder for {@link Kind#IMAGE_FOLDER}, else null
 */
public record DataSpec(Kind kind, Path folder) {
    /** The accepted forms, for messages. */
    public static final String FORMS = "shapes (built-in shapes, no download), imagefolder:DIR (DIR/<class>/*.jpg|png,"
            + " optionally DIR/train and DIR/val) or synthetic (random tensors, measures speed only)";

    /** The kinds of data source. */
    public enum Kind {
        /** {@link ShapesDataset}. */
        SHAPES,
        /** {@link ImageFolderDataset}. */
        IMAGE_FOLDER,
        /** Random tensors made on the device by the trainer; no dataset here. */
        SYNTHETIC
    }

    public DataSpec {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.IMAGE_FOLDER) != (folder != null)) {
            throw new IllegalArgumentException("a folder goes with IMAGE_FOLDER and nothing else: " + kind + ", " + folder);
        }
    }

    /** Parses the text of {@code --data}; anything else is a bad-input error that lists the accepted forms. */
    @JsonCreator
    public static DataSpec parse(String text) {
        String t = text == null ? "" : text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("shapes")) {
            return new DataSpec(Kind.SHAPES, null);
        }
        if (lower.equals("synthetic")) {
            return new DataSpec(Kind.SYNTHETIC, null);
        }
        if (lower.startsWith("imagefolder:")) {
            String dir = t.substring("imagefolder:".length()).strip();
            if (dir.isEmpty()) {
                throw DlstationException.badInput("--data imagefolder: needs a folder after the colon, e.g."
                        + " --data imagefolder:/data/pets (laid out as " + ImageFolderScan.LAYOUT + ")");
            }
            return new DataSpec(Kind.IMAGE_FOLDER, Path.of(expandHome(dir)));
        }
        throw DlstationException.badInput("--data '" + t + "' is not a data source: use " + FORMS);
    }

    private static String expandHome(String dir) {
        if (dir.equals("~") || dir.startsWith("~/")) {
            return System.getProperty("user.home") + dir.substring(1);
        }
        return dir;
    }

    /** The spec as the user writes it, and as JSON: {@code shapes}, {@code imagefolder:DIR} or {@code synthetic}. */
    @JsonValue
    @Override
    public String toString() {
        return switch (kind) {
            case SHAPES -> "shapes";
            case IMAGE_FOLDER -> "imagefolder:" + folder;
            case SYNTHETIC -> "synthetic";
        };
    }
}
