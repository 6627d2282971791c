package io.dlstation.serve.protocol;

/** The indices of the largest values in one row of a tensor, largest first (ties: lower index first). */
public final class TopK {
    private TopK() {}

    /** The top {@code k} of the {@code count} values starting at element {@code offset}. */
    public static int[] indices(HostTensor tensor, long offset, int count, int k) {
        int n = Math.min(k, count);
        int[] best = new int[n];
        double[] values = new double[n];
        int filled = 0;
        for (int i = 0; i < count; i++) {
            double v = tensor.getDouble(offset + i);
            if (Double.isNaN(v)) {
                continue;
            }
            int at = filled;
            while (at > 0 && values[at - 1] < v) {
                at--;
            }
            if (at >= n) {
                continue;
            }
            int last = Math.min(filled, n - 1);
            System.arraycopy(best, at, best, at + 1, last - at);
            System.arraycopy(values, at, values, at + 1, last - at);
            best[at] = i;
            values[at] = v;
            filled = Math.min(filled + 1, n);
        }
        return filled == n ? best : java.util.Arrays.copyOf(best, filled);
    }
}
