package io.dlstation.data;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import javax.imageio.ImageIO;

/**
 * Images on disk in torchvision's ImageFolder layout: {@code DIR/<class>/*.{jpg,jpeg,png}}, classes
 * sorted by name, hidden files ignored, images decoded with ImageIO on every read. With
 * {@code DIR/train} and {@code DIR/val} those are the split; otherwise each class is split by the seed,
 * a fraction of its images going to validation. Grey and alpha images come out as RGB.
 *
 * <p>Both transforms first resize the shorter side to {@code round(imageSize * 8 / 7)}. Training: a
 * random {@code imageSize} square crop and a random horizontal flip, drawn from the generator given to
 * {@link #read}; evaluation: the centre crop. Files found unreadable when the folder was opened are left
 * out and listed by {@link #skipped()}.
 */
public final class ImageFolderDataset implements ImageDataset {
    /** The default share of each class kept for validation when the folder has no train/val split. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    private static final long SPLIT_STREAM = 0x73706C74L;

    private final List<String> classes;
    private final Path[] files;
    private final int[] labels;
    private final int imageSize;
    private final List<SkippedImage> skipped;
    private final ResizeCrop transform;

    ImageFolderDataset(List<String> classes, List<Path> files, List<Integer> labels, int imageSize, List<SkippedImage> skipped) {
        if (files.size() != labels.size()) {
            throw new IllegalArgumentException("files and labels differ in length: " + files.size() + ", " + labels.size());
        }
        if (imageSize < 1) {
            throw new IllegalArgumentException("imageSize < 1: " + imageSize);
        }
        this.classes = List.copyOf(classes);
        this.files = files.toArray(Path[]::new);
        this.labels = labels.stream().mapToInt(Integer::intValue).toArray();
        this.imageSize = imageSize;
        this.skipped = List.copyOf(skipped);
        this.transform = new ResizeCrop(imageSize);
    }

    /**
     * Opens the folder: {@code root/train} and {@code root/val} when both exist, else {@code root} split
     * per class by {@code seed}, {@code validationFraction} of each class (at least one image of a class
     * with two or more when the fraction is positive, never all of them) going to validation.
     */
    public static DatasetSplit open(Path root, int imageSize, long seed, double validationFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw DlstationException.badInput("validation fraction " + validationFraction + " is out of range: use a"
                    + " number from 0 (no validation) up to, not including, 1 (e.g. 0.1)");
        }
        Path train = root.resolve("train");
        Path val = root.resolve("val");
        boolean hasTrain = Files.isDirectory(train);
        boolean hasVal = Files.isDirectory(val);
        if (hasTrain && hasVal) {
            return openSplitFolders(train, val, imageSize);
        }
        if (hasTrain || hasVal) {
            Path found = hasTrain ? train : val;
            Path missing = hasTrain ? val : train;
            throw DlstationException.badInput("image folder " + root + " has " + found.getFileName() + "/ but no "
                    + missing.getFileName() + "/: add " + missing + " with the same class subfolders, or put the"
                    + " class subfolders directly in " + root + " to have them split by the seed");
        }
        ImageFolderScan scan = ImageFolderScan.of(root, 2);
        return splitBySeed(scan, imageSize, seed, validationFraction);
    }

    private static DatasetSplit openSplitFolders(Path trainRoot, Path valRoot, int imageSize) {
        ImageFolderScan train = ImageFolderScan.of(trainRoot, 2);
        ImageFolderScan val = ImageFolderScan.of(valRoot, 1);
        for (String c : val.classes()) {
            if (!train.classes().contains(c)) {
                throw DlstationException.badInput("validation class folder " + valRoot.resolve(c) + " has no training"
                        + " counterpart in " + trainRoot + ": the classes under val/ must be among those under train/ ("
                        + String.join(", ", train.classes()) + ")");
            }
        }
        return new DatasetSplit(whole(train, train.classes(), imageSize), whole(val, train.classes(), imageSize));
    }

    /** Every readable image of {@code scan}, labelled by its class's place in {@code classes}. */
    private static ImageFolderDataset whole(ImageFolderScan scan, List<String> classes, int imageSize) {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < scan.classes().size(); c++) {
            int label = classes.indexOf(scan.classes().get(c));
            for (Path f : scan.files().get(c)) {
                files.add(f);
                labels.add(label);
            }
        }
        return new ImageFolderDataset(classes, files, labels, imageSize, scan.skipped());
    }

    private static DatasetSplit splitBySeed(ImageFolderScan scan, int imageSize, long seed, double fraction) {
        List<Path> trainFiles = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<Path> valFiles = new ArrayList<>();
        List<Integer> valLabels = new ArrayList<>();
        for (int c = 0; c < scan.classes().size(); c++) {
            List<Path> files = scan.files().get(c);
            int n = files.size();
            int nVal = validationCount(n, fraction);
            // which of the class's images go to validation: the first nVal of a seeded permutation
            int[] perm = Seeds.permutation(n, new SplittableRandom(Seeds.mix(seed, SPLIT_STREAM, c)));
            boolean[] toVal = new boolean[n];
            for (int i = 0; i < nVal; i++) {
                toVal[perm[i]] = true;
            }
            for (int i = 0; i < n; i++) {
                (toVal[i] ? valFiles : trainFiles).add(files.get(i));
                (toVal[i] ? valLabels : trainLabels).add(c);
            }
        }
        return new DatasetSplit(
                new ImageFolderDataset(scan.classes(), trainFiles, trainLabels, imageSize, scan.skipped()),
                new ImageFolderDataset(scan.classes(), valFiles, valLabels, imageSize, scan.skipped()));
    }

    /** How many of a class's {@code n} images go to validation. */
    static int validationCount(int n, double fraction) {
        if (fraction <= 0 || n < 2) {
            return 0;
        }
        return (int) Math.clamp(Math.round(n * fraction), 1, n - 1);
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public int height() {
        return imageSize;
    }

    @Override
    public int width() {
        return imageSize;
    }

    /** The file behind sample {@code index}. */
    public Path file(int index) {
        return files[index];
    }

    /** The label of sample {@code index}, without decoding it. */
    public int label(int index) {
        return labels[index];
    }

    @Override
    public List<SkippedImage> skipped() {
        return skipped;
    }

    @Override
    public int read(int index, byte[] pixels, int offset, RandomGenerator augment) {
        Objects.checkIndex(index, files.length);
        Objects.checkFromIndexSize(offset, imageSize * imageSize * 3, pixels.length);
        Path file = files[index];
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw cannotDecode(file, e.getMessage(), e);
        }
        if (image == null) {
            throw cannotDecode(file, "not an image", null);
        }
        try {
            transform.apply(image, pixels, offset, augment);
        } catch (DlstationException e) {
            throw cannotDecode(file, e.getMessage(), e); // e.g. too large to convert: name the file
        }
        return labels[index];
    }

    private static DlstationException cannotDecode(Path file, String reason, Throwable cause) {
        return new DlstationException(ErrorCode.BAD_INPUT, "cannot decode image " + file + " (" + reason
                + "): remove or replace it", cause);
    }
}
