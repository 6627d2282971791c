package io.dlstation.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small image files for the image-folder tests, written with ImageIO. */
final class TestImages {
    private TestImages() {}

    /** A {@code w x h} image of one colour, as PNG or JPEG by the file's extension. */
    static Path solid(Path file, int w, int h, Color colour) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return write(file, image);
    }

    /** Writes {@code image} in the format the file's extension names. */
    static Path write(Path file, BufferedImage image) {
        String name = file.getFileName().toString().toLowerCase();
        String format = name.endsWith(".png") ? "png" : "jpeg";
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no " + format + " writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@code count} small images {@code 0.png, 1.png, ...} in {@code dir}, in colours that tell them apart. */
    static void fill(Path dir, int count, int hue) {
        for (int i = 0; i < count; i++) {
            solid(dir.resolve(i + ".png"), 12 + i % 5, 10 + i % 3, new Color(hue, i * 7 % 256, 100));
        }
    }

    /** A file with the given text as content. */
    static Path text(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
