package io.dlstation.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * All-black 8-bit greyscale PNG files of any size, compressed row by row: the image itself is never held
 * in memory, so a test can make a 25000x25000 decompression bomb (607 KB) without the 625 MB it decodes to.
 */
public final class GreyPng {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int ROWS_PER_INPUT = 64;

    private GreyPng() {}

    /** A valid PNG of {@code width x height} black pixels (colour type 0, bit depth 8, no filter). */
    public static byte[] black(int width, int height) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(SIGNATURE);
        chunk(png, "IHDR", header(width, height));
        chunk(png, "IDAT", blackRows(width, height));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** The IHDR body: width, height, bit depth 8, greyscale, deflate, no filter method, no interlace. */
    public static byte[] header(int width, int height) {
        return ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).array();
    }

    /** Appends a chunk of {@code type} with {@code body} and its CRC. */
    public static void chunk(ByteArrayOutputStream out, String type, byte[] body) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(body);
        out.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
        out.writeBytes(name);
        out.writeBytes(body);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The zlib stream of {@code height} rows, each a filter byte and {@code width} zero samples. */
    private static byte[] blackRows(int width, int height) {
        Deflater deflater = new Deflater();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] rows = new byte[(width + 1) * Math.min(ROWS_PER_INPUT, height)]; // zero: filter "none", black
        byte[] buffer = new byte[1 << 16];
        try {
            for (int y = 0; y < height; y += ROWS_PER_INPUT) {
                deflater.setInput(rows, 0, (width + 1) * Math.min(ROWS_PER_INPUT, height - y));
                while (!deflater.needsInput()) {
                    out.write(buffer, 0, deflater.deflate(buffer));
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }
}
