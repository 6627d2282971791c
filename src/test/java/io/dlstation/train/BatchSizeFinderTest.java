package io.dlstation.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSizeFinderTest {

    @Test
    void findsTheLargestAndProvesTheNextDoesNotFit() {
        List<Integer> tried = new ArrayList<>();
        BatchSizeFinder.Result result = BatchSizeFinder.find(16, 4096, 0, size -> {
            tried.add(size);
            return size <= 1018;
        });
        assertThat(result.largestFit()).isEqualTo(1018);
        assertThat(result.chosen()).isEqualTo(1018);
        assertThat(tried).startsWith(16, 32, 64, 128, 256, 512, 1024).contains(1019);
        assertThat(result.explanation(0, BatchSizeFinder.Limit.of(4096, 100_000, 1)))
                .contains("largest batch that fits: 1018 (1019 ran out of memory)");
    }

    @Test
    void keepsTheSafetyMargin() {
        BatchSizeFinder.Result result = BatchSizeFinder.find(16, 4096, 0.1, size -> size <= 1000);
        assertThat(result.largestFit()).isEqualTo(1000);
        assertThat(result.chosen()).isEqualTo(900);
        assertThat(result.explanation(0.1, BatchSizeFinder.Limit.of(4096, 100_000, 1)))
                .contains("using 900", "10% margin");
    }

    @Test
    void stopsAtTheLimit() {
        BatchSizeFinder.Result result = BatchSizeFinder.find(16, 100, 0, size -> true);
        assertThat(result.largestFit()).isEqualTo(100);
        assertThat(result.limited()).isTrue();
        assertThat(result.explanation(0, BatchSizeFinder.Limit.of(100, 8000, 1)))
                .contains("the search stopped at its limit, --max-batch-size 100");
    }

    @Test
    void aSmallerTrainingSetIsNamedAsTheLimitNotTheFlag() {
        BatchSizeFinder.Limit limit = BatchSizeFinder.Limit.of(4096, 256, 1);
        assertThat(limit.batchSize()).isEqualTo(256);
        BatchSizeFinder.Result result = BatchSizeFinder.find(16, limit.batchSize(), 0.1, size -> true);
        assertThat(result.explanation(0.1, limit))
                .contains("largest batch that fits: 256 (the search stopped at its limit, the training set's 256 samples)")
                .doesNotContain("--max-batch-size");
    }

    @Test
    void theLimitIsSharedOverTheDevices() {
        assertThat(BatchSizeFinder.Limit.of(4096, 100_000, 2))
                .isEqualTo(new BatchSizeFinder.Limit(2048, "--max-batch-size 4096 over 2 devices"));
        assertThat(BatchSizeFinder.Limit.of(4096, 1000, 2))
                .isEqualTo(new BatchSizeFinder.Limit(500, "the training set's 1000 samples over 2 devices"));
    }

    @Test
    void nothingFitsGivesZero() {
        BatchSizeFinder.Result result = BatchSizeFinder.find(16, 4096, 0.05, size -> false);
        assertThat(result.largestFit()).isZero();
        assertThat(result.chosen()).isZero();
    }

    @Test
    void aSmallLargestStillLeavesOne() {
        assertThat(BatchSizeFinder.find(16, 4096, 0.5, size -> size <= 1).chosen()).isEqualTo(1);
    }
}
