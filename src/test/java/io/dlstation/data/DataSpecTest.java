package io.dlstation.data;

import static io.dlstation.data.ImageFolderDatasetTest.assertBadInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataSpecTest {
    @TempDir
    Path root;

    @Test
    void parsesTheThreeForms() {
        assertThat(DataSpec.parse("shapes")).isEqualTo(new DataSpec(DataSpec.Kind.SHAPES, null));
        assertThat(DataSpec.parse(" Synthetic ")).isEqualTo(new DataSpec(DataSpec.Kind.SYNTHETIC, null));
        DataSpec folder = DataSpec.parse("imagefolder:/data/My Pets");
        assertThat(folder.kind()).isEqualTo(DataSpec.Kind.IMAGE_FOLDER);
        assertThat(folder.folder()).isEqualTo(Path.of("/data/My Pets"));
        assertThat(folder.toString()).isEqualTo("imagefolder:/data/My Pets");
        assertThat(DataSpec.parse(folder.toString())).isEqualTo(folder);
        assertThat(DataSpec.parse("imagefolder:~/pets").folder())
                .isEqualTo(Path.of(System.getProperty("user.home"), "pets"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mnist", "imagefolder", "folder:/x", "shapes:32"})
    void anythingElseIsBadInputListingTheAcceptedForms(String spec) {
        assertBadInput(() -> DataSpec.parse(spec), "--data", "shapes", "imagefolder:DIR", "synthetic");
    }

    @Test
    void anImageFolderNeedsAFolder() {
        assertBadInput(() -> DataSpec.parse("imagefolder:  "), "--data imagefolder:", "needs a folder");
    }

    @Test
    void opensShapesAndImageFoldersButNotSyntheticData() {
        DatasetSplit shapes = Datasets.open("shapes", 32, 1, new DataOptions(50, 10, 0.1));
        assertThat(shapes.train().size()).isEqualTo(50);
        assertThat(shapes.validation().size()).isEqualTo(10);
        assertThat(shapes.train().height()).isEqualTo(32);

        TestImages.fill(root.resolve("cat"), 10, 10);
        TestImages.fill(root.resolve("dog"), 10, 90);
        DatasetSplit folder = Datasets.open("imagefolder:" + root, 24, 1, new DataOptions(50, 10, 0.2));
        assertThat(folder.train().size()).isEqualTo(16);
        assertThat(folder.validation().size()).isEqualTo(4);
        assertThat(folder.validation().width()).isEqualTo(24);

        assertThatThrownBy(() -> Datasets.open("synthetic", 32, 1, DataOptions.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trainer");
    }

    @Test
    void anImageSizeOutOfRangeIsBadInput() {
        assertBadInput(() -> Datasets.open("shapes", 8, 1, DataOptions.DEFAULTS), "image size 8", "16 to 2048");
        assertBadInput(() -> Datasets.open("imagefolder:" + root, 4096, 1, DataOptions.DEFAULTS), "image size 4096");
    }
}
