package io.dlstation.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.SplittableRandom;

/**
 * Draws one shapes sample into a reusable image: a soft two-colour gradient background written
 * straight into the raster, one antialiased filled shape drawn with Java2D, then per-pixel noise on the
 * way out. One painter per thread; all randomness comes from the generator passed in.
 */
final class ShapePainter {
    /** Circumscribed diameter of a shape, as a fraction of the image side. */
    static final double MIN_SIZE = 0.40;
    static final double MAX_SIZE = 0.80;
    /** Least luminance difference (0-255) between the shape and either end of the background. */
    static final int MIN_CONTRAST = 64;
    /** Noise is uniform in [-NOISE, NOISE] per channel. */
    static final int NOISE = 12;

    /** A random byte to noise + NOISE, in [0, 2 * NOISE]. */
    private static final byte[] NOISE_OF = new byte[256];
    /** value + noise + NOISE to the clamped byte value + noise. */
    private static final byte[] NOISY = new byte[256 + 2 * NOISE];

    static {
        for (int b = 0; b < 256; b++) {
            NOISE_OF[b] = (byte) ((b * (2 * NOISE + 1)) >> 8);
        }
        for (int v = 0; v < NOISY.length; v++) {
            NOISY[v] = (byte) Math.clamp(v - NOISE, 0, 255);
        }
    }

    private final int size;
    private final BufferedImage image;
    private final Graphics2D graphics;
    private final byte[] bgr;
    private final byte[] noise;
    private final Path2D.Float path = new Path2D.Float(Path2D.WIND_NON_ZERO, 12);
    private final Ellipse2D.Float ellipse = new Ellipse2D.Float();

    ShapePainter(int size) {
        this.size = size;
        this.image = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        this.bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        this.noise = new byte[bgr.length];
        this.graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    }

    /** Paints shape {@code shape} (an index into {@link ShapesDataset#CLASSES}) with randomness from {@code r}. */
    void paint(int shape, SplittableRandom r) {
        int[] from = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        int[] to = new int[3];
        for (int c = 0; c < 3; c++) {
            to[c] = Math.clamp(from[c] + r.nextInt(-64, 65), 0, 255);
        }
        background(from, to, r.nextDouble(2 * Math.PI));
        graphics.setColor(new Color(shapeColour(from, to, r)));
        double radius = size * r.nextDouble(MIN_SIZE, MAX_SIZE) / 2;
        double cx = r.nextDouble(radius, size - radius);
        double cy = r.nextDouble(radius, size - radius);
        double angle = r.nextDouble(2 * Math.PI);
        switch (shape) {
            case 0 -> {
                ellipse.setFrame(cx - radius, cy - radius, 2 * radius, 2 * radius);
                graphics.fill(ellipse);
            }
            case 1 -> fillPolygon(cx, cy, angle, new double[] {radius}, 4);
            case 2 -> fillPolygon(cx, cy, angle, new double[] {radius}, 3);
            case 3 -> fillPolygon(cx, cy, angle, new double[] {radius, radius * 0.42}, 10);
            case 4 -> fillCross(cx, cy, angle, radius);
            default -> throw new IllegalArgumentException("shape out of range: " + shape);
        }
    }

    /**
     * Copies the painted image to {@code out} at {@code offset} as RGB with noise from {@code r}, mirrored
     * left to right when {@code flip}. The noise follows the source pixels, so a flipped copy is exactly
     * the mirror image of an unflipped one.
     */
    void copyTo(byte[] out, int offset, boolean flip, SplittableRandom r) {
        r.nextBytes(noise);
        int rowBytes = size * 3;
        int step = flip ? -3 : 3;
        for (int y = 0; y < size; y++) {
            int src = y * rowBytes;
            int dst = offset + y * rowBytes + (flip ? rowBytes - 3 : 0);
            for (int x = 0; x < size; x++, src += 3, dst += step) {
                out[dst] = NOISY[(bgr[src + 2] & 0xFF) + NOISE_OF[noise[src + 2] & 0xFF]];
                out[dst + 1] = NOISY[(bgr[src + 1] & 0xFF) + NOISE_OF[noise[src + 1] & 0xFF]];
                out[dst + 2] = NOISY[(bgr[src] & 0xFF) + NOISE_OF[noise[src] & 0xFF]];
            }
        }
    }

    /** A linear gradient from {@code from} to {@code to} across the image along {@code direction}. */
    private void background(int[] from, int[] to, double direction) {
        // t = 0.5 + ((x - c) cos + (y - c) sin) / size, in 16.16 fixed point, clamped to [0, 1]
        double half = (size - 1) / 2.0;
        int dx = (int) Math.round(Math.cos(direction) / size * 65536);
        int dy = (int) Math.round(Math.sin(direction) / size * 65536);
        int t0 = (int) Math.round((0.5 - (Math.cos(direction) + Math.sin(direction)) * half / size) * 65536);
        int i = 0;
        for (int y = 0; y < size; y++) {
            int t = t0 + y * dy;
            for (int x = 0; x < size; x++, t += dx, i += 3) {
                int f = Math.clamp(t, 0, 65536);
                bgr[i] = (byte) (from[2] + (((to[2] - from[2]) * f) >> 16));
                bgr[i + 1] = (byte) (from[1] + (((to[1] - from[1]) * f) >> 16));
                bgr[i + 2] = (byte) (from[0] + (((to[0] - from[0]) * f) >> 16));
            }
        }
    }

    /** A random colour far enough in luminance from both ends of the background. */
    private static int shapeColour(int[] from, int[] to, SplittableRandom r) {
        int rgb = 0;
        for (int tries = 0; tries < 32; tries++) {
            rgb = r.nextInt(1 << 24);
            if (contrast(rgb, from) >= MIN_CONTRAST && contrast(rgb, to) >= MIN_CONTRAST) {
                return rgb;
            }
        }
        // unlucky draws: black or white, whichever stands out more
        return luminance(from) + luminance(to) > 255 ? 0x000000 : 0xFFFFFF;
    }

    private static int contrast(int rgb, int[] other) {
        return Math.abs(luminance(new int[] {rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF}) - luminance(other));
    }

    private static int luminance(int[] rgb) {
        return (299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2]) / 1000;
    }

    /** A regular polygon ({@code radii.length == 1}) or a star (alternating radii). */
    private void fillPolygon(double cx, double cy, double angle, double[] radii, int corners) {
        path.reset();
        for (int k = 0; k < corners; k++) {
            double a = angle + 2 * Math.PI * k / corners;
            double rad = radii[k % radii.length];
            float x = (float) (cx + rad * Math.cos(a));
            float y = (float) (cy + rad * Math.sin(a));
            if (k == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        path.closePath();
        graphics.fill(path);
    }

    /** A plus sign whose arm ends touch the circle of {@code radius}; arms are 0.6 of their length wide. */
    private void fillCross(double cx, double cy, double angle, double radius) {
        double arm = radius / Math.sqrt(1.09);
        double half = 0.3 * arm;
        double[][] local = {
            {half, arm}, {half, half}, {arm, half}, {arm, -half}, {half, -half}, {half, -arm},
            {-half, -arm}, {-half, -half}, {-arm, -half}, {-arm, half}, {-half, half}, {-half, arm},
        };
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        path.reset();
        for (int k = 0; k < local.length; k++) {
            float x = (float) (cx + local[k][0] * cos - local[k][1] * sin);
            float y = (float) (cy + local[k][0] * sin + local[k][1] * cos);
            if (k == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        path.closePath();
        graphics.fill(path);
    }
}
