package io.dlstation.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding to RGB and the resize-and-crop transforms, through {@link ImageFolderDataset#read}. */
class ImageFolderTransformTest {
    private static final int SIZE = 16;

    @TempDir
    Path root;

    /** A dataset whose class "a" holds exactly {@code image} (written as {@code name}) and class "b" a filler. */
    private ImageDataset datasetOf(String name, BufferedImage image) {
        TestImages.write(root.resolve("a/" + name), image);
        TestImages.solid(root.resolve("b/filler.png"), 8, 8, Color.WHITE);
        return ImageFolderDataset.open(root, SIZE, 1, 0).train();
    }

    private static byte[] read(ImageDataset d, SplittableRandom random) {
        byte[] px = new byte[SIZE * SIZE * 3];
        d.read(0, px, 0, random);
        return px;
    }

    private static void assertEveryPixel(byte[] px, int r, int g, int b, int tolerance) {
        for (int i = 0; i < px.length; i += 3) {
            assertThat(px[i] & 255).as("red at %d", i / 3).isCloseTo(r, org.assertj.core.data.Offset.offset(tolerance));
            assertThat(px[i + 1] & 255).as("green at %d", i / 3).isCloseTo(g, org.assertj.core.data.Offset.offset(tolerance));
            assertThat(px[i + 2] & 255).as("blue at %d", i / 3).isCloseTo(b, org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    @Test
    void greyPngCopiesItsValueToAllThreeChannels() {
        BufferedImage grey = new BufferedImage(20, 30, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 20, 30, 0, filled(600, 100));
        assertEveryPixel(read(datasetOf("g.png", grey), null), 100, 100, 100, 0);
    }

    @Test
    void sixteenBitGreyKeepsItsHighByte() {
        BufferedImage grey = new BufferedImage(20, 20, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSamples(0, 0, 20, 20, 0, filled(400, 100 << 8 | 0x7F));
        assertEveryPixel(read(datasetOf("g16.png", grey), null), 100, 100, 100, 0);
    }

    @Test
    void greyJpegComesOutGrey() {
        BufferedImage grey = new BufferedImage(24, 24, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 24, 24, 0, filled(576, 180));
        assertEveryPixel(read(datasetOf("g.jpg", grey), null), 180, 180, 180, 3);
    }

    @Test
    void alphaIsDroppedKeepingTheColourUnderneath() {
        BufferedImage argb = new BufferedImage(20, 20, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                argb.setRGB(x, y, (x % 2 == 0 ? 0x00 : 0x80) << 24 | 200 << 16 | 50 << 8 | 20);
            }
        }
        assertEveryPixel(read(datasetOf("rgba.png", argb), null), 200, 50, 20, 0);
    }

    @Test
    void paletteImagesBecomeRgb() {
        IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {10, (byte) 250}, new byte[] {20, 0},
                new byte[] {30, (byte) 128});
        BufferedImage indexed = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSamples(0, 0, 20, 20, 0, filled(400, 1));
        assertEveryPixel(read(datasetOf("p.png", indexed), null), 250, 0, 128, 0);
    }

    @Test
    void evaluationResizesTheShorterSideAndCropsTheCentre() {
        // 90x30: red | green | blue at x < 20, 20..69, >= 70; shorter side 30 -> 18, so width 54 and the
        // centre 16 columns come from x = 31.7..58.3: green only
        BufferedImage stripes = new BufferedImage(90, 30, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 90; x++) {
                stripes.setRGB(x, y, x < 20 ? 0xFF0000 : x < 70 ? 0x00FF00 : 0x0000FF);
            }
        }
        ImageDataset d = datasetOf("s.png", stripes);
        assertThat(ResizeCrop.resizedShorterSide(SIZE)).isEqualTo(18);
        assertThat(ResizeCrop.resizedShorterSide(224)).isEqualTo(256);
        assertEveryPixel(read(d, null), 0, 255, 0, 0);

        // training crops land anywhere across the 54 columns, so some show red or blue; flips mirror them
        Set<String> leftColumns = new HashSet<>();
        for (int seed = 0; seed < 60; seed++) {
            byte[] px = read(d, new SplittableRandom(seed));
            assertThat(read(d, new SplittableRandom(seed))).isEqualTo(px);
            leftColumns.add(dominant(px, 0) + "" + dominant(px, SIZE - 1));
        }
        assertThat(leftColumns).contains("RG", "GR", "GB", "BG", "GG");
    }

    @Test
    void largeReductionsAverageInsteadOfSkippingPixels() {
        // a one-pixel checkerboard: sampling would give black or white; averaging gives grey
        BufferedImage checker = new BufferedImage(512, 400, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 512; x++) {
                checker.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0);
            }
        }
        assertEveryPixel(read(datasetOf("c.png", checker), null), 128, 128, 128, 3);
    }

    /** R, G or B: the strongest channel of column {@code x}, row 0. */
    private static char dominant(byte[] px, int x) {
        int r = px[x * 3] & 255;
        int g = px[x * 3 + 1] & 255;
        int b = px[x * 3 + 2] & 255;
        return r >= g && r >= b ? 'R' : g >= b ? 'G' : 'B';
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
