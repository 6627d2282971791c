package io.dlstation.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {
    @TempDir
    Path root;

    private static List<Path> files(ImageDataset d) {
        ImageFolderDataset f = (ImageFolderDataset) d;
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            out.add(f.file(i));
        }
        return out;
    }

    @Test
    void splitsEachClassByTheSeed() {
        TestImages.fill(root.resolve("cat"), 10, 10);
        TestImages.fill(root.resolve("dog"), 20, 90);
        TestImages.fill(root.resolve("emu"), 5, 170);

        DatasetSplit split = ImageFolderDataset.open(root, 16, 1, 0.1);

        assertThat(split.train().classes()).containsExactly("cat", "dog", "emu");
        assertThat(split.validation().classes()).containsExactly("cat", "dog", "emu");
        int[] valPerClass = new int[3];
        ImageFolderDataset val = (ImageFolderDataset) split.validation();
        for (int i = 0; i < val.size(); i++) {
            valPerClass[val.label(i)]++;
            assertThat(val.file(i).getParent().getFileName().toString()).isEqualTo(val.classes().get(val.label(i)));
        }
        assertThat(valPerClass).containsExactly(1, 2, 1); // round(10 * 0.1), round(20 * 0.1), at least one of 5
        Set<Path> all = new HashSet<>(files(split.train()));
        assertThat(all).hasSize(31).doesNotContainAnyElementsOf(files(split.validation()));
        all.addAll(files(split.validation()));
        assertThat(all).hasSize(35);

        DatasetSplit again = ImageFolderDataset.open(root, 16, 1, 0.1);
        assertThat(files(again.validation())).isEqualTo(files(split.validation()));
        DatasetSplit otherSeed = ImageFolderDataset.open(root, 16, 2, 0.1);
        assertThat(files(otherSeed.validation())).isNotEqualTo(files(split.validation()));
        assertThat(ImageFolderDataset.open(root, 16, 1, 0).validation().size()).isZero();
    }

    @Test
    void usesTrainAndValFoldersAsTheSplitWithTheTrainingClassesLabels() {
        TestImages.fill(root.resolve("train/cat"), 3, 10);
        TestImages.fill(root.resolve("train/dog"), 4, 90);
        TestImages.fill(root.resolve("val/dog"), 2, 90);

        DatasetSplit split = ImageFolderDataset.open(root, 16, 1, 0.1);

        assertThat(split.train().size()).isEqualTo(7);
        assertThat(split.validation().size()).isEqualTo(2);
        assertThat(split.validation().classes()).containsExactly("cat", "dog");
        byte[] px = new byte[16 * 16 * 3];
        assertThat(split.validation().read(0, px, 0, null)).isEqualTo(1);
        assertThat(files(split.validation())).allMatch(p -> p.startsWith(root.resolve("val/dog")));
    }

    @Test
    void ignoresHiddenFilesAndOtherExtensionsAndFindsNestedImages() {
        TestImages.fill(root.resolve("b"), 2, 10);
        TestImages.fill(root.resolve("a"), 2, 90);
        TestImages.solid(root.resolve("a/deeper/x.JPG"), 8, 8, Color.RED);
        TestImages.solid(root.resolve("a/.hidden.png"), 8, 8, Color.RED);
        TestImages.solid(root.resolve("a/.cache/y.png"), 8, 8, Color.RED);
        TestImages.solid(root.resolve(".trash/z.png"), 8, 8, Color.RED);
        TestImages.text(root.resolve("a/notes.txt"), "not looked at");
        TestImages.text(root.resolve("README"), "a file, not a class");

        DatasetSplit split = ImageFolderDataset.open(root, 16, 1, 0);

        assertThat(split.train().classes()).containsExactly("a", "b");
        assertThat(files(split.train())).containsExactly(root.resolve("a/0.png"), root.resolve("a/1.png"),
                root.resolve("a/deeper/x.JPG"), root.resolve("b/0.png"), root.resolve("b/1.png"));
        assertThat(split.skipped()).isEmpty();
    }

    @Test
    void skipsAndNamesUnreadableImages() throws IOException {
        TestImages.fill(root.resolve("cat"), 3, 10);
        TestImages.fill(root.resolve("dog"), 3, 90);
        TestImages.text(root.resolve("cat/bad.jpg"), "this is text, not a JPEG");
        Files.createFile(root.resolve("dog/empty.png"));
        byte[] png = Files.readAllBytes(root.resolve("dog/0.png"));
        Files.write(root.resolve("dog/cut.png"), java.util.Arrays.copyOf(png, 20));

        DatasetSplit split = ImageFolderDataset.open(root, 16, 1, 0.3);

        assertThat(split.train().size() + split.validation().size()).isEqualTo(6);
        List<SkippedImage> skipped = split.skipped();
        assertThat(skipped).extracting(SkippedImage::path)
                .containsExactly(root.resolve("cat/bad.jpg"), root.resolve("dog/cut.png"), root.resolve("dog/empty.png"));
        assertThat(skipped.get(0).reason()).isEqualTo("not an image");
        assertThat(skipped.get(1).reason()).startsWith("unreadable");
        assertThat(skipped.get(2).reason()).isEqualTo("empty file");
        assertThat(SkippedImage.summary(skipped, 2))
                .isEqualTo("skipped 3 unreadable images: cat/bad.jpg (not an image), dog/cut.png ("
                        + skipped.get(1).reason() + ") and 1 more");
    }

    @Test
    void aClassWhoseImagesAreAllUnreadableIsBadInput() {
        TestImages.fill(root.resolve("cat"), 2, 10);
        TestImages.text(root.resolve("dog/a.png"), "text");
        TestImages.text(root.resolve("dog/b.jpg"), "text");

        assertBadInput(() -> ImageFolderDataset.open(root, 16, 1, 0.1), root.resolve("dog").toString(),
                "no readable image", "dog/a.png (not an image)");
    }

    @Test
    void eachLayoutMistakeIsOneClearBadInput() throws IOException {
        Path missing = root.resolve("nope");
        assertBadInput(() -> ImageFolderDataset.open(missing, 16, 1, 0.1), missing.toString(), "does not exist");

        Path file = TestImages.text(root.resolve("file.txt"), "x");
        assertBadInput(() -> ImageFolderDataset.open(file, 16, 1, 0.1), file.toString(), "not a folder");

        Path empty = Files.createDirectories(root.resolve("empty"));
        TestImages.solid(empty.resolve("loose.png"), 8, 8, Color.RED);
        assertBadInput(() -> ImageFolderDataset.open(empty, 16, 1, 0.1), empty.toString(), "no class subfolders",
                "subfolder named after it");

        Path one = root.resolve("one");
        TestImages.fill(one.resolve("cat"), 2, 10);
        assertBadInput(() -> ImageFolderDataset.open(one, 16, 1, 0.1), one.toString(), "only one class", "at least 2");

        Path noImages = root.resolve("noimages");
        TestImages.fill(noImages.resolve("cat"), 2, 10);
        TestImages.text(noImages.resolve("dog/readme.txt"), "x");
        assertBadInput(() -> ImageFolderDataset.open(noImages, 16, 1, 0.1), noImages.resolve("dog").toString(),
                "has no images", "remove the folder");

        Path onlyTrain = root.resolve("onlytrain");
        TestImages.fill(onlyTrain.resolve("train/cat"), 2, 10);
        TestImages.fill(onlyTrain.resolve("train/dog"), 2, 90);
        assertBadInput(() -> ImageFolderDataset.open(onlyTrain, 16, 1, 0.1), onlyTrain.resolve("val").toString(),
                "has train/ but no val/");

        Path strayVal = root.resolve("strayval");
        TestImages.fill(strayVal.resolve("train/cat"), 2, 10);
        TestImages.fill(strayVal.resolve("train/dog"), 2, 90);
        TestImages.fill(strayVal.resolve("val/cat"), 1, 10);
        TestImages.fill(strayVal.resolve("val/emu"), 1, 50);
        assertBadInput(() -> ImageFolderDataset.open(strayVal, 16, 1, 0.1), strayVal.resolve("val/emu").toString(),
                "cat, dog");

        TestImages.fill(root.resolve("ok/cat"), 2, 10);
        TestImages.fill(root.resolve("ok/dog"), 2, 10);
        assertBadInput(() -> ImageFolderDataset.open(root.resolve("ok"), 16, 1, 1.0), "validation fraction 1.0");
    }

    @Test
    void aFileThatCannotBeDecodedAfterOpeningIsNamed() throws IOException {
        TestImages.fill(root.resolve("cat"), 2, 10);
        TestImages.fill(root.resolve("dog"), 2, 90);
        ImageDataset train = ImageFolderDataset.open(root, 16, 1, 0).train();
        Path gone = ((ImageFolderDataset) train).file(0);
        Files.delete(gone);
        assertBadInput(() -> train.read(0, new byte[16 * 16 * 3], 0, null), gone.toString(), "remove or replace it");
    }

    @Test
    void batchesAreTheSameWhateverTheNumberOfWorkers() {
        for (int i = 0; i < 12; i++) {
            TestImages.solid(root.resolve((i % 2 == 0 ? "cat/" : "dog/") + i + ".jpg"), 30 + 7 * i, 25 + 3 * i,
                    new Color(20 * i, 255 - 20 * i, 90));
        }
        ImageDataset train = ImageFolderDataset.open(root, 16, 1, 0).train();
        List<List<Byte>> one = batches(new BatchLoader(train, 5, true, false, 3, 0, 0, 1, 1, true));
        assertThat(batches(new BatchLoader(train, 5, true, false, 3, 0, 0, 3, 6, true))).isEqualTo(one);
        assertThat(one).hasSize(3);
    }

    private static List<List<Byte>> batches(BatchLoader loader) {
        List<List<Byte>> out = new ArrayList<>();
        try (loader) {
            while (loader.hasNext()) {
                HostBatch b = loader.next();
                List<Byte> bytes = new ArrayList<>();
                for (byte v : b.pixels()) {
                    bytes.add(v);
                }
                for (long label : b.labels()) {
                    bytes.add((byte) label);
                }
                out.add(bytes);
            }
        }
        return out;
    }

    static void assertBadInput(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... parts) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(DlstationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
                .message().contains(parts);
    }
}
