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
        assertThat(result.explanation(0, 4096)).contains("largest batch that fits: 1018 (1019 ran out of memory)");
    }

    @Test
    void keepsTheSafetyMargin() {
        BatchSizeFinder.Result result = BatchSizeFinder.find(16, 4096, 0.1, size -> size <= 1000);
        assertThat(result.largestFit()).isEqualTo(1000);
        assertThat(result.chosen()).isEqualTo(900);
        assertThat(result.explanation(0.1, 4096)).contains("using 900", "10% margin");
    }

    @Test
    void stopsAtTheLimit() {
        BatchSizeFinder.Result result = BatchSizeFinder.find(16, 100, 0, size -> true);
        assertThat(result.largestFit()).isEqualTo(100);
        assertThat(result.limited()).isTrue();
        assertThat(result.explanation(0, 100)).contains("--max-batch-size 100");
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
