package io.dlstation.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaxBatchSearchTest {

    @ParameterizedTest
    @CsvSource({
        "16, 4096, 1018, 1018", // doubles to 1024 (too big), then binary-searches
        "16, 4096, 16, 16", // the start is the answer
        "16, 4096, 5, 5", // even the start is too big: searches below it
        "16, 4096, 0, 0", // nothing fits
        "16, 100, 5000, 100", // capped by the limit
    })
    void findsTheLargestBatchThatFits(int start, int limit, int largestThatFits, int expected) {
        List<Integer> tried = new ArrayList<>();
        MaxBatchSearch.Result r = MaxBatchSearch.search(start, limit, b -> {
            tried.add(b);
            return b <= largestThatFits;
        });
        assertThat(r.maxBatch()).isEqualTo(expected);
        assertThat(r.trials()).hasSize(tried.size());
        assertThat(tried).doesNotHaveDuplicates();
        assertThat(tried).allMatch(b -> b >= 1 && b <= limit);
        // logarithmic: never more than two passes of log2(limit) trials
        assertThat(tried.size()).isLessThanOrEqualTo(2 * 13);
    }
}
