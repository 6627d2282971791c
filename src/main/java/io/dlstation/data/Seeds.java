package io.dlstation.data;

import java.util.SplittableRandom;

/**
 * Seeds derived from several numbers (seed, epoch, index, stream), so that every random choice depends
 * only on what it is for and never on the thread or the order that makes it; and seeded permutations.
 */
final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    /** A well-mixed seed from two numbers; {@code mix(a, b)} and {@code mix(b, a)} differ. */
    static long mix(long a, long b) {
        return mix64(mix64(a + GOLDEN) ^ (b * GOLDEN + 0x632BE59BD9B4E019L));
    }

    /** A well-mixed seed from three numbers. */
    static long mix(long a, long b, long c) {
        return mix(mix(a, b), c);
    }

    /** SplitMix64's finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A permutation of {@code 0 .. n-1} (Fisher-Yates) drawn from {@code r}. */
    static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
