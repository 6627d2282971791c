package io.dlstation.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Finds the largest batch that fits: doubles from a start until a trial fails, then binary-searches
 * between the last size that fitted and the first that did not. Trials are the caller's (each in its
 * own memory scope, out-of-memory recovered).
 */
public final class MaxBatchSearch {
    /** The answer and every trial, in order. */
    public record Result(@JsonProperty("max_batch") int maxBatch, @JsonProperty("trials") List<Trial> trials) {}

    /** One tried batch size. */
    public record Trial(@JsonProperty("batch_size") int batchSize, @JsonProperty("fits") boolean fits) {}

    private MaxBatchSearch() {}

    /**
     * @param start the first size tried (>= 1)
     * @param limit never try more than this
     * @param fits runs a trial
     * @return max batch 0 when even {@code start} does not fit and 1 does not either
     */
    public static Result search(int start, int limit, IntPredicate fits) {
        if (start < 1 || limit < start) {
            throw new IllegalArgumentException("start < 1 or limit < start: " + start + ", " + limit);
        }
        List<Trial> trials = new ArrayList<>();
        int good = 0;
        int bad = -1;
        int size = start;
        while (true) {
            boolean ok = fits.test(size);
            trials.add(new Trial(size, ok));
            if (ok) {
                good = size;
                if (size >= limit) {
                    return new Result(good, trials);
                }
                size = (int) Math.min((long) size * 2, limit);
            } else {
                bad = size;
                break;
            }
        }
        // between the last size that fitted (0 if none did) and the first that did not
        return new Result(bisect(good, bad, fits, trials), trials);
    }

    /** The largest size in (lo, hi) that fits, given that lo fits (or is 0) and hi does not. */
    private static int bisect(int lo, int hi, IntPredicate fits, List<Trial> trials) {
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            boolean ok = fits.test(mid);
            trials.add(new Trial(mid, ok));
            if (ok) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
