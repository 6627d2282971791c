package io.dlstation.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.testing.Await;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ShapesDatasetTest {
    private static final int SIZE = 32;
    private static final int BYTES = SIZE * SIZE * 3;

    private static byte[] read(ImageDataset d, int index) {
        byte[] px = new byte[BYTES];
        d.read(index, px, 0, null);
        return px;
    }

    @Test
    void theSameSeedAndIndexGiveTheSameBytesOnAnyThreadInAnyOrder() throws Exception {
        ImageDataset first = ShapesDataset.split(7, 200, 0, SIZE).train();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(read(first, i));
        }
        // a second instance, read backwards by four threads at once (each thread its own painter)
        ImageDataset second = ShapesDataset.split(7, 200, 0, SIZE).train();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<byte[]>> got = new ArrayList<>();
            for (int i = 199; i >= 0; i--) {
                int index = i;
                got.add(pool.submit(() -> read(index % 2 == 0 ? second : first, index)));
            }
            for (int k = 0; k < 200; k++) {
                assertThat(Await.result(got.get(k), Duration.ofMinutes(2), "sample " + (199 - k))).as("sample %d", 199 - k)
                        .isEqualTo(expected.get(199 - k));
            }
        }
    }

    @Test
    void labelsAreBalancedAndShuffled() {
        ImageDataset d = ShapesDataset.split(3, 1003, 0, SIZE).train();
        int[] counts = new int[d.classes().size()];
        int periodic = 0;
        byte[] px = new byte[BYTES];
        for (int i = 0; i < d.size(); i++) {
            int label = d.read(i, px, 0, null);
            counts[label]++;
            periodic += label == i % counts.length ? 1 : 0;
        }
        assertThat(d.classes()).containsExactly("circle", "square", "triangle", "star", "cross");
        assertThat(counts).containsOnly(200, 201);
        assertThat(periodic).isLessThan(d.size() / 2);
    }

    @Test
    void differentSeedsGiveDifferentSamples() {
        ImageDataset a = ShapesDataset.split(1, 50, 0, SIZE).train();
        ImageDataset b = ShapesDataset.split(2, 50, 0, SIZE).train();
        for (int i = 0; i < 50; i++) {
            assertThat(read(a, i)).isNotEqualTo(read(b, i));
        }
    }

    @Test
    void validationSamplesAreNotTrainingSamples() {
        DatasetSplit split = ShapesDataset.split(5, 400, 200, SIZE);
        Set<ByteBuffer> train = new HashSet<>();
        for (int i = 0; i < split.train().size(); i++) {
            train.add(ByteBuffer.wrap(read(split.train(), i)));
        }
        assertThat(split.validation().size()).isEqualTo(200);
        for (int i = 0; i < split.validation().size(); i++) {
            assertThat(train).doesNotContain(ByteBuffer.wrap(read(split.validation(), i)));
        }
        assertThat(split.skipped()).isEmpty();
    }

    @Test
    void theTrainingTransformIsARandomHorizontalFlipDrawnFromTheGivenGenerator() {
        ImageDataset d = ShapesDataset.split(9, 100, 0, SIZE).train();
        int flipped = 0;
        for (int i = 0; i < 100; i++) {
            byte[] plain = read(d, i);
            byte[] augmented = new byte[BYTES];
            byte[] again = new byte[BYTES];
            int label = d.read(i, augmented, 0, new SplittableRandom(i));
            assertThat(d.read(i, again, 0, new SplittableRandom(i))).isEqualTo(label);
            assertThat(again).isEqualTo(augmented);
            if (!java.util.Arrays.equals(augmented, plain)) {
                assertThat(augmented).isEqualTo(mirror(plain));
                flipped++;
            }
        }
        assertThat(flipped).isBetween(30, 70);
    }

    @Test
    void writesOnlyItsOwnSlotOfABatch() {
        ImageDataset d = ShapesDataset.split(1, 10, 0, SIZE).train();
        byte[] batch = new byte[3 * BYTES];
        java.util.Arrays.fill(batch, (byte) 7);
        d.read(4, batch, BYTES, null);
        assertThat(java.util.Arrays.copyOfRange(batch, BYTES, 2 * BYTES)).isEqualTo(read(d, 4));
        for (int i = 0; i < BYTES; i++) {
            assertThat(batch[i]).isEqualTo((byte) 7);
            assertThat(batch[2 * BYTES + i]).isEqualTo((byte) 7);
        }
    }

    @Test
    void everySampleShowsAShapeThatStandsOutFromTheBackground() {
        // the shape covers a fair part of the image and differs clearly from the background
        ImageDataset d = ShapesDataset.split(11, 200, 0, SIZE).train();
        for (int i = 0; i < d.size(); i++) {
            byte[] px = read(d, i);
            int[] luma = new int[SIZE * SIZE];
            for (int p = 0; p < luma.length; p++) {
                luma[p] = (299 * (px[3 * p] & 255) + 587 * (px[3 * p + 1] & 255) + 114 * (px[3 * p + 2] & 255)) / 1000;
            }
            int[] sorted = luma.clone();
            java.util.Arrays.sort(sorted);
            // the 2nd and 98th percentiles lie far apart: two regions of clearly different brightness
            assertThat(sorted[(int) (0.98 * luma.length)] - sorted[(int) (0.02 * luma.length)]).as("sample %d", i)
                    .isGreaterThan(40);
        }
    }

    static byte[] mirror(byte[] px) {
        byte[] m = new byte[px.length];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                System.arraycopy(px, (y * SIZE + x) * 3, m, (y * SIZE + SIZE - 1 - x) * 3, 3);
            }
        }
        return m;
    }
}
