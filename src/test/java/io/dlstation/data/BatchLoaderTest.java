package io.dlstation.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a guard against hanging, not a timing
class BatchLoaderTest {
    /**
     * 2x2 images whose first three bytes spell the index and, when augmenting, the other nine are drawn
     * from the generator;
     * label = index % 3. Counts reads and remembers the threads that made them.
     */
    static class IndexDataset implements ImageDataset {
        final int size;
        final AtomicInteger reads = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        IndexDataset(int size) {
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public List<String> classes() {
            return List.of("a", "b", "c");
        }

        @Override
        public int height() {
            return 2;
        }

        @Override
        public int width() {
            return 2;
        }

        @Override
        public int read(int index, byte[] pixels, int offset, RandomGenerator augment) {
            threads.add(Thread.currentThread());
            reads.incrementAndGet();
            Arrays.fill(pixels, offset, offset + 12, (byte) 0);
            pixels[offset] = (byte) index;
            pixels[offset + 1] = (byte) (index >> 8);
            pixels[offset + 2] = (byte) (index >> 16);
            if (augment != null) {
                for (int k = 3; k < 12; k++) {
                    pixels[offset + k] = (byte) augment.nextInt(256);
                }
            }
            return index % 3;
        }
    }

    /** A batch as comparable values: the indices it holds, its label list and all its bytes. */
    record Flat(List<Integer> indices, List<Long> labels, List<Byte> bytes) {
        static Flat of(HostBatch b) {
            List<Integer> indices = new ArrayList<>();
            List<Byte> bytes = new ArrayList<>();
            for (int i = 0; i < b.count(); i++) {
                int o = i * b.sampleBytes();
                indices.add((b.pixels()[o] & 255) | (b.pixels()[o + 1] & 255) << 8 | (b.pixels()[o + 2] & 255) << 16);
            }
            for (int i = 0; i < b.count() * b.sampleBytes(); i++) {
                bytes.add(b.pixels()[i]);
            }
            return new Flat(indices, Arrays.stream(b.labels(), 0, b.count()).boxed().toList(), bytes);
        }
    }

    private static List<Flat> drain(BatchLoader loader) {
        List<Flat> out = new ArrayList<>();
        try (loader) {
            while (loader.hasNext()) {
                out.add(Flat.of(loader.next()));
            }
            assertThatThrownBy(loader::next).isInstanceOf(NoSuchElementException.class);
        }
        return out;
    }

    private static List<Flat> epoch(ImageDataset d, int epoch, int startBatch, int workers, int prefetch) {
        return drain(new BatchLoader(d, 8, true, false, 42, epoch, startBatch, workers, prefetch, true));
    }

    @Test
    void batchesAreTheSameForOneAndFourWorkers() {
        IndexDataset d = new IndexDataset(101);
        List<Flat> one = epoch(d, 3, 0, 1, 1);
        assertThat(epoch(d, 3, 0, 4, 3)).isEqualTo(one);
        assertThat(epoch(d, 3, 0, 4, 8)).isEqualTo(one);

        // a permutation of all samples, labels matching, augmentation present
        List<Integer> seen = one.stream().flatMap(f -> f.indices().stream()).toList();
        assertThat(seen).hasSize(101).doesNotHaveDuplicates().isNotEqualTo(seen.stream().sorted().toList());
        for (Flat f : one) {
            assertThat(f.labels()).isEqualTo(f.indices().stream().map(i -> (long) (i % 3)).toList());
        }
        assertThat(one).hasSize(13);
        assertThat(one.get(12).indices()).hasSize(5);
        assertThat(one.get(0).bytes().subList(3, 12)).isNotEqualTo(Collections.nCopies(9, (byte) 0));
    }

    @Test
    void orderAndAugmentationChangeWithEpochAndSeed() {
        IndexDataset d = new IndexDataset(64);
        List<Flat> e0 = epoch(d, 0, 0, 2, 2);
        List<Flat> e1 = epoch(d, 1, 0, 2, 2);
        List<Flat> otherSeed = drain(new BatchLoader(d, 8, true, false, 43, 0, 0, 2, 2, true));
        assertThat(e1.get(0).indices()).isNotEqualTo(e0.get(0).indices());
        assertThat(otherSeed.get(0).indices()).isNotEqualTo(e0.get(0).indices());

        // the same sample gets other random draws in another epoch
        int sample = e0.get(0).indices().get(0);
        assertThat(augmentationOf(e1, sample)).isNotEqualTo(augmentationOf(e0, sample));
    }

    private static List<Byte> augmentationOf(List<Flat> epoch, int sample) {
        for (Flat f : epoch) {
            int i = f.indices().indexOf(sample);
            if (i >= 0) {
                return f.bytes().subList(i * 12 + 3, i * 12 + 12);
            }
        }
        throw new AssertionError("sample " + sample + " missing");
    }

    @Test
    void startingAtBatchKGivesTheTailOfAnUninterruptedEpoch() {
        IndexDataset d = new IndexDataset(100);
        List<Flat> full = epoch(d, 5, 0, 3, 4);
        for (int k : new int[] {1, 6, 12}) {
            assertThat(epoch(d, 5, k, 3, 4)).as("start at %d", k).isEqualTo(full.subList(k, full.size()));
        }
        BatchLoader done = new BatchLoader(d, 8, true, false, 42, 5, 13, 3, 4, true);
        assertThat(done.hasNext()).isFalse();
        assertThat(done.nextBatchNumber()).isEqualTo(13);
        done.close();
        assertThatThrownBy(() -> new BatchLoader(d, 8, true, false, 42, 5, 14, 3, 4, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("14");
    }

    @Test
    void withoutShuffleBatchesFollowTheDatasetAndDropLastLeavesOutTheShortBatch() {
        IndexDataset d = new IndexDataset(10);
        List<Flat> keep = drain(new BatchLoader(d, 4, false, false, 1, 0, 0, 2, 2, false));
        assertThat(keep).extracting(Flat::indices)
                .containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9));
        assertThat(keep.get(2).bytes()).hasSize(2 * 12);
        List<Flat> drop = drain(new BatchLoader(d, 4, false, true, 1, 0, 0, 2, 2, false));
        assertThat(drop).extracting(Flat::indices).containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7));
        assertThat(drain(new BatchLoader(new IndexDataset(3), 4, true, true, 1, 0, 0, 2, 2, true))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"10, 4, false, 3", "10, 4, true, 2", "8, 4, false, 2", "8, 4, true, 2", "0, 4, false, 0", "3, 4, true, 0",
        "3, 4, false, 1"})
    void batchesPerEpoch(int size, int batchSize, boolean dropLast, int expected) {
        assertThat(BatchLoader.batchesPerEpoch(size, batchSize, dropLast)).isEqualTo(expected);
    }

    @Test
    void aFailingSampleSurfacesFromNextWithItsCauseAfterTheBatchesBeforeIt() {
        RuntimeException boom = new RuntimeException("boom");
        IndexDataset d = new IndexDataset(40) {
            @Override
            public int read(int index, byte[] pixels, int offset, RandomGenerator augment) {
                if (index == 7 || index == 30) {
                    throw boom;
                }
                return super.read(index, pixels, offset, augment);
            }
        };
        try (BatchLoader loader = new BatchLoader(d, 2, false, false, 1, 0, 0, 4, 4, false)) {
            for (int b = 0; b < 3; b++) {
                assertThat(Flat.of(loader.next()).indices()).containsExactly(2 * b, 2 * b + 1);
            }
            assertThat(loader.hasNext()).isTrue();
            assertThatThrownBy(loader::next).isInstanceOf(DlstationException.class)
                    .hasMessageContaining("sample 7 of batch 3").hasCause(boom);
            assertThatThrownBy(loader::next).hasCause(boom); // and again
        }
    }

    @Test
    void aBadInputErrorFromTheDatasetKeepsItsCodeAndMessage() {
        IndexDataset d = new IndexDataset(4) {
            @Override
            public int read(int index, byte[] pixels, int offset, RandomGenerator augment) {
                throw DlstationException.badInput("cannot decode image x.jpg: remove or replace it");
            }
        };
        try (BatchLoader loader = new BatchLoader(d, 2, true, false, 1, 0, 0, 1, 1, true)) {
            assertThatThrownBy(loader::next)
                    .isInstanceOfSatisfying(DlstationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
                    .hasMessageStartingWith("cannot decode image x.jpg: remove or replace it");
        }
    }

    @Test
    void aLabelOutOfRangeIsAFailure() {
        IndexDataset d = new IndexDataset(4) {
            @Override
            public int read(int index, byte[] pixels, int offset, RandomGenerator augment) {
                return 3;
            }
        };
        try (BatchLoader loader = new BatchLoader(d, 2, false, false, 1, 0, 0, 1, 1, false)) {
            assertThatThrownBy(loader::next).hasMessageContaining("label 3 out of range");
        }
    }

    @Test
    void workersStayAtMostPrefetchBatchesAhead() {
        IndexDataset d = new IndexDataset(100);
        try (BatchLoader loader = new BatchLoader(d, 5, true, false, 1, 0, 0, 4, 2, true)) {
            List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("dlstation-data-") && t.isAlive())
                    .toList();
            assertThat(workers).hasSize(4);
            awaitAllWaiting(workers, () -> d.reads.get() >= 10);
            assertThat(d.reads.get()).isEqualTo(10); // two batches of five, no more
            loader.next();
            awaitAllWaiting(workers, () -> d.reads.get() >= 15);
            assertThat(d.reads.get()).isEqualTo(15);
        }
    }

    /**
     * Spins until {@code done} holds and every worker is parked (no sleeping). Once the reads expected
     * have happened and all workers wait, none can read more until the caller takes a batch.
     */
    private static void awaitAllWaiting(List<Thread> workers, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a guard against hanging, not a timing
        while (!(done.getAsBoolean() && workers.stream().allMatch(t -> t.getState() == Thread.State.WAITING))) {
            assertThat(System.nanoTime()).as("workers never settled").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void closeStopsWorkersBusyInTheDataset() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        IndexDataset d = new IndexDataset(100) {
            @Override
            public int read(int index, byte[] pixels, int offset, RandomGenerator augment) {
                threads.add(Thread.currentThread());
                started.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw new IllegalStateException("interrupted", e);
                }
                return 0;
            }
        };
        BatchLoader loader = new BatchLoader(d, 4, true, false, 1, 0, 0, 3, 6, true);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        loader.close();
        assertThat(d.threads).hasSize(3).noneMatch(Thread::isAlive);
        assertThat(interrupted.get()).isEqualTo(3);
        assertThatThrownBy(loader::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        loader.close(); // twice is fine
    }

    @Test
    void closeWakesACallerWaitingInNext() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        IndexDataset d = new IndexDataset(10) {
            @Override
            public int read(int index, byte[] pixels, int offset, RandomGenerator augment) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return 0;
            }
        };
        BatchLoader loader = new BatchLoader(d, 2, false, false, 1, 0, 0, 1, 1, false);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                loader.next();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (caller.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("caller never waited").isLessThan(deadline);
            Thread.onSpinWait();
        }
        loader.close();
        caller.join();
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void recycledBatchesAreReusedWithoutChangingWhatComesOut() {
        IndexDataset d = new IndexDataset(80);
        List<Flat> plain = epoch(d, 2, 0, 1, 1);
        Set<byte[]> arrays = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Flat> recycled = new ArrayList<>();
        try (BatchLoader loader = new BatchLoader(d, 8, true, false, 42, 2, 0, 1, 1, true)) {
            while (loader.hasNext()) {
                HostBatch b = loader.next();
                arrays.add(b.pixels());
                recycled.add(Flat.of(b));
                loader.recycle(b);
            }
        }
        assertThat(recycled).isEqualTo(plain);
        assertThat(arrays.size()).isLessThanOrEqualTo(3); // 10 batches from at most 3 arrays
    }

    @Test
    void shapesComeOutTheSameWhateverTheNumberOfWorkers() {
        ImageDataset shapes = ShapesDataset.split(1, 60, 0, 32).train();
        List<Flat> one = drain(new BatchLoader(shapes, 16, true, false, 9, 1, 0, 1, 1, true));
        assertThat(drain(new BatchLoader(shapes, 16, true, false, 9, 1, 0, 4, 8, true))).isEqualTo(one);
        assertThat(new HashSet<>(one.stream().flatMap(f -> f.labels().stream()).toList())).hasSize(5);
    }
}
