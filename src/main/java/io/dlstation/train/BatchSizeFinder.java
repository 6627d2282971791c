package io.dlstation.train;

import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * {@code --batch-size auto}: the largest batch whose training steps fit in memory, found by doubling
 * from a start and then binary search ({@link MaxBatchSearch}), less an optional safety margin. The
 * trials themselves are the caller's: each runs a few real steps in its own memory scope, recovers
 * from out-of-memory, and leaves the model and optimiser as they were.
 */
final class BatchSizeFinder {
    /**
     * The outcome.
     *
     * @param largestFit the largest batch that ran (0 if none)
     * @param chosen what the run uses: {@code largestFit} less the margin, at least 1
     * @param limited whether the search stopped at the limit rather than at a failure
     * @param trials every size tried, in order
     */
    public record Result(int largestFit, int chosen, boolean limited, List<MaxBatchSearch.Trial> trials) {

        /** Why this size, in a sentence for the log. */
        public String explanation(double margin, Limit limit) {
            String tried = String.join(", ", trials.stream()
                    .map(t -> t.batchSize() + (t.fits() ? " ok" : " out of memory")).toList());
            String bound = limited
                    ? "the search stopped at its limit, " + limit.reason()
                    : String.format(Locale.ROOT, "%d ran out of memory", largestFit + 1);
            String use = margin > 0
                    ? String.format(Locale.ROOT, "using %d, which keeps a %.0f%% margin (--batch-size-margin)", chosen,
                            margin * 100)
                    : "using it";
            return String.format(Locale.ROOT, "largest batch that fits: %d (%s); %s. Tried: %s", largestFit, bound,
                    use, tried);
        }
    }

    /**
     * The largest batch the search tries and what sets it, for the log.
     *
     * @param batchSize the largest batch per device
     * @param reason what sets it: {@code --max-batch-size N}, or the training set when it is smaller
     */
    public record Limit(int batchSize, String reason) {

        /** {@code --max-batch-size}, or the training set when it holds fewer samples, shared over the devices. */
        public static Limit of(int maxBatchSize, long trainSize, int devices) {
            String reason = trainSize < maxBatchSize ? "the training set's " + trainSize + " samples"
                    : "--max-batch-size " + maxBatchSize;
            return new Limit((int) (Math.min(maxBatchSize, trainSize) / devices),
                    devices > 1 ? reason + " over " + devices + " devices" : reason);
        }
    }

    private BatchSizeFinder() {}

    /**
     * @param start the first size tried
     * @param limit the largest size tried
     * @param margin fraction of the largest fitting batch left unused, in [0, 0.9)
     * @param fits runs a trial at a batch size: true when its steps ran without running out of memory
     * @return the result; {@code largestFit} 0 means not even batch 1 fits
     */
    public static Result find(int start, int limit, double margin, IntPredicate fits) {
        if (!(margin >= 0 && margin < 0.9)) {
            throw new IllegalArgumentException("margin must be in [0, 0.9): " + margin);
        }
        int first = Math.max(1, Math.min(start, limit));
        MaxBatchSearch.Result search = MaxBatchSearch.search(first, limit, fits);
        int largest = search.maxBatch();
        int chosen = largest == 0 ? 0 : Math.max(1, (int) Math.floor(largest * (1 - margin)));
        boolean limited = largest >= limit;
        return new Result(largest, chosen, limited, search.trials());
    }
}
