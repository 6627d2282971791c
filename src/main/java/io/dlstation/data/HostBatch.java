package io.dlstation.data;

/**
 * One batch on the host. {@code pixels} holds {@code count * height * width * 3} bytes, HWC uint8 RGB
 * sample after sample; {@code labels} holds {@code count} labels.
 */
public record HostBatch(byte[] pixels, long[] labels, int count, int height, int width) {
    public HostBatch {
        if (count < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException("count < 0, height < 1 or width < 1: " + count + ", " + height + ", " + width);
        }
        if (pixels.length < (long) count * height * width * 3 || labels.length < count) {
            throw new IllegalArgumentException("arrays too small for " + count + " samples of " + height + "x" + width
                    + ": " + pixels.length + " bytes, " + labels.length + " labels");
        }
    }

    /** Bytes per sample: {@code height * width * 3}. */
    public int sampleBytes() {
        return height * width * 3;
    }
}
