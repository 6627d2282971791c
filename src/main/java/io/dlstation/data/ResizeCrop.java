package io.dlstation.data;

import java.awt.image.BufferedImage;
import java.util.random.RandomGenerator;

/**
 * The image-folder transforms. Training: the shorter side resized to {@code 8/7 * size} (256 for 224),
 * a random {@code size x size} crop and a random horizontal flip. Evaluation: the same resize and the
 * centre crop. Resizing works on BGR bytes in integer arithmetic: while the reduction is below one
 * half the image is halved (each pixel the mean of a 2x2 block), then the crop is sampled bilinearly,
 * so no source pixel is skipped and results are the same on every machine. Stateless.
 */
final class ResizeCrop {
    private static final int ONE = 1 << 8; // bilinear weights in 8-bit fixed point

    private final int size;
    private final int shorterSide;

    ResizeCrop(int size) {
        this.size = size;
        this.shorterSide = resizedShorterSide(size);
    }

    /** The shorter side before cropping: {@code round(size * 8 / 7)}. */
    static int resizedShorterSide(int size) {
        return (int) Math.round(size * 8 / 7.0);
    }

    /**
     * Writes the transformed {@code image} as HWC RGB into {@code out} at {@code offset}.
     *
     * @param random null for the evaluation transform
     */
    void apply(BufferedImage image, byte[] out, int offset, RandomGenerator random) {
        RgbImages.Bgr src = RgbImages.bgr(image);
        double scale = (double) shorterSide / Math.min(src.width(), src.height());
        int rw = Math.max(size, (int) Math.round(src.width() * scale));
        int rh = Math.max(size, (int) Math.round(src.height() * scale));
        int x0;
        int y0;
        boolean flip;
        if (random != null) {
            x0 = random.nextInt(rw - size + 1);
            y0 = random.nextInt(rh - size + 1);
            flip = random.nextBoolean();
        } else {
            x0 = (rw - size) / 2;
            y0 = (rh - size) / 2;
            flip = false;
        }
        while (2 * rw < src.width() && 2 * rh < src.height()) {
            src = half(src);
        }
        sample(src, rw, rh, x0, y0, flip, out, offset);
    }

    /** Each pixel the rounded mean of a 2x2 block; an odd last row or column repeats its edge. */
    static RgbImages.Bgr half(RgbImages.Bgr src) {
        int w = src.width();
        int h = src.height();
        int hw = (w + 1) / 2;
        int hh = (h + 1) / 2;
        byte[] s = src.data();
        byte[] d = new byte[RgbImages.rgbLength(hw, hh)];
        for (int y = 0; y < hh; y++) {
            int r0 = 2 * y * w * 3;
            int r1 = Math.min(2 * y + 1, h - 1) * w * 3;
            for (int x = 0, o = y * hw * 3; x < hw; x++, o += 3) {
                int c0 = 2 * x * 3;
                int c1 = Math.min(2 * x + 1, w - 1) * 3;
                for (int c = 0; c < 3; c++) {
                    int sum = (s[r0 + c0 + c] & 0xFF) + (s[r0 + c1 + c] & 0xFF) + (s[r1 + c0 + c] & 0xFF) + (s[r1 + c1 + c] & 0xFF);
                    d[o + c] = (byte) ((sum + 2) >> 2);
                }
            }
        }
        return new RgbImages.Bgr(d, hw, hh);
    }

    /**
     * The {@code size x size} crop at ({@code x0}, {@code y0}) of {@code src} resized to {@code rw x rh},
     * sampled bilinearly at pixel centres, written as RGB.
     */
    private void sample(RgbImages.Bgr src, int rw, int rh, int x0, int y0, boolean flip, byte[] out, int offset) {
        int w = src.width();
        byte[] s = src.data();
        int[] xLo = new int[size];
        int[] xHi = new int[size];
        int[] xW = new int[size];
        taps(src.width(), rw, x0, xLo, xHi, xW);
        int[] yLo = new int[size];
        int[] yHi = new int[size];
        int[] yW = new int[size];
        taps(src.height(), rh, y0, yLo, yHi, yW);
        for (int j = 0; j < size; j++) {
            int top = yLo[j] * w * 3;
            int bottom = yHi[j] * w * 3;
            int fy = yW[j];
            int row = offset + j * size * 3;
            for (int i = 0; i < size; i++) {
                int a = top + xLo[i] * 3;
                int b = top + xHi[i] * 3;
                int c = bottom + xLo[i] * 3;
                int e = bottom + xHi[i] * 3;
                int fx = xW[i];
                int o = row + (flip ? size - 1 - i : i) * 3;
                for (int ch = 0; ch < 3; ch++) {
                    int upper = (s[a + ch] & 0xFF) * (ONE - fx) + (s[b + ch] & 0xFF) * fx;
                    int lower = (s[c + ch] & 0xFF) * (ONE - fx) + (s[e + ch] & 0xFF) * fx;
                    int v = (upper * (ONE - fy) + lower * fy + ONE * ONE / 2) >> 16;
                    out[o + 2 - ch] = (byte) v; // BGR in, RGB out
                }
            }
        }
    }

    /** For each output index along one axis: the two source pixels around its centre and the weight of the second. */
    private static void taps(int srcLength, int resizedLength, int start, int[] lo, int[] hi, int[] weight) {
        double step = (double) srcLength / resizedLength;
        for (int i = 0; i < lo.length; i++) {
            double at = Math.clamp((start + i + 0.5) * step - 0.5, 0, srcLength - 1);
            int l = (int) at;
            lo[i] = l;
            hi[i] = Math.min(l + 1, srcLength - 1);
            weight[i] = (int) Math.round((at - l) * ONE);
        }
    }
}
