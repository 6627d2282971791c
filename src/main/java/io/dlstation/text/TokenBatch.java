package io.dlstation.text;

/**
 * Token ids and attention masks of several texts, padded to one length, row-major: {@code ids[i *
 * length + j]} is token {@code j} of text {@code i}; the mask is 1 for tokens and 0 for padding.
 *
 * @param size the number of texts
 * @param length tokens per text after padding
 */
public record TokenBatch(int size, int length, long[] ids, long[] mask) {
    public TokenBatch {
        if (size < 0 || length < 0 || ids.length != (long) size * length || mask.length != ids.length) {
            throw new IllegalArgumentException("ids and mask must hold size x length = " + size + " x " + length
                    + " values: " + ids.length + ", " + mask.length);
        }
    }

    /** The number of real (not padding) tokens of text {@code i}. */
    public int tokens(int i) {
        int n = 0;
        for (int j = 0; j < length; j++) {
            n += (int) mask[i * length + j];
        }
        return n;
    }
}
