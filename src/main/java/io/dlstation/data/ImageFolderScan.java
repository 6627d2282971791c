package io.dlstation.data;

import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * One class-per-folder tree read from disk: {@code root/<class>/**}{@code /*.{jpg,jpeg,png}}, classes
 * sorted by name, hidden files and folders ignored. Every image's header is read (in parallel) so that
 * files that are not images, are empty or cannot be read are found now, skipped and named, rather than
 * in the middle of training.
 *
 * @param classes class names, sorted
 * @param files per class, the readable image files in path order
 * @param skipped the files left out, in path order
 */
record ImageFolderScan(Path root, List<String> classes, List<List<Path>> files, List<SkippedImage> skipped) {
    static final String LAYOUT = "DIR/<class>/<image>.jpg|jpeg|png, one subfolder per class";
    private static final int CHUNK = 256;

    /**
     * Reads the tree under {@code root}; throws a bad-input error naming the folder and the fix.
     *
     * @param minClasses 2 for a training set; a validation folder may hold fewer of the classes
     */
    static ImageFolderScan of(Path root, int minClasses) {
        if (!Files.exists(root)) {
            throw DlstationException.badInput("image folder " + root + " does not exist: give a folder laid out as " + LAYOUT);
        }
        if (!Files.isDirectory(root)) {
            throw DlstationException.badInput("image folder " + root + " is a file, not a folder: give a folder laid out as " + LAYOUT);
        }
        List<Path> classDirs = classFolders(root);
        if (classDirs.isEmpty()) {
            throw DlstationException.badInput("image folder " + root + " has no class subfolders: put the images of each"
                    + " class in a subfolder named after it, e.g. " + root.resolve("cat") + "/1.jpg and " + root.resolve("dog") + "/2.jpg");
        }
        if (classDirs.size() < minClasses) {
            throw DlstationException.badInput("image folder " + root + " has only one class subfolder ("
                    + classDirs.get(0).getFileName() + "): classification needs at least 2 classes, one subfolder each");
        }
        List<String> classes = new ArrayList<>();
        List<List<Path>> candidates = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images = images(dir);
            if (images.isEmpty()) {
                throw DlstationException.badInput("class folder " + dir + " has no images (.jpg, .jpeg, .png):"
                        + " add some or remove the folder");
            }
            classes.add(dir.getFileName().toString());
            candidates.add(images);
        }
        return check(root, classes, candidates);
    }

    private static ImageFolderScan check(Path root, List<String> classes, List<List<Path>> candidates) {
        List<Path> all = candidates.stream().flatMap(List::stream).toList();
        String[] problems = problems(all);
        List<List<Path>> readable = new ArrayList<>();
        List<SkippedImage> skipped = new ArrayList<>();
        int i = 0;
        for (int c = 0; c < classes.size(); c++) {
            List<Path> good = new ArrayList<>();
            List<SkippedImage> bad = new ArrayList<>();
            for (Path file : candidates.get(c)) {
                String problem = problems[i++];
                if (problem == null) {
                    good.add(file);
                } else {
                    bad.add(new SkippedImage(file, problem));
                }
            }
            if (good.isEmpty()) {
                throw DlstationException.badInput("class folder " + root.resolve(classes.get(c)) + " has no readable image: "
                        + SkippedImage.summary(bad, 3) + "; replace them or remove the folder");
            }
            readable.add(List.copyOf(good));
            skipped.addAll(bad);
        }
        return new ImageFolderScan(root, List.copyOf(classes), List.copyOf(readable), List.copyOf(skipped));
    }

    /** The visible subfolders of {@code dir}, sorted by name. */
    private static List<Path> classFolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !hidden(p) && Files.isDirectory(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw DlstationException.badInput("cannot list image folder " + dir + ": " + e.getMessage());
        }
    }

    /** The image files under a class folder, at any depth, hidden ones left out, in path order. */
    private static List<Path> images(Path classDir) {
        try (Stream<Path> s = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(p -> isImageName(p) && !hiddenBelow(classDir, p) && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw DlstationException.badInput("cannot list class folder " + classDir + ": " + e.getMessage());
        }
    }

    static boolean isImageName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean hiddenBelow(Path top, Path p) {
        for (Path part : top.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** For each file, why it cannot be used, or null; headers are read on a few threads. */
    private static String[] problems(List<Path> files) {
        String[] problems = new String[files.size()];
        int threads = Math.clamp(files.size() / CHUNK, 1, Math.min(Runtime.getRuntime().availableProcessors(), 16));
        if (threads == 1) {
            for (int i = 0; i < files.size(); i++) {
                problems[i] = problem(files.get(i));
            }
            return problems;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("dlstation-scan-", 0).factory());
        try {
            List<Future<?>> chunks = new ArrayList<>();
            for (int from = 0; from < files.size(); from += CHUNK) {
                int start = from;
                int end = Math.min(from + CHUNK, files.size());
                chunks.add(pool.submit(() -> {
                    for (int i = start; i < end; i++) {
                        problems[i] = problem(files.get(i));
                    }
                }));
            }
            for (Future<?> chunk : chunks) {
                chunk.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading image headers", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading image headers failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return problems;
    }

    /** Why {@code file} cannot be used as an image, or null when its header reads as a usable image. */
    static String problem(Path file) {
        try {
            if (Files.size(file) == 0) {
                return "empty file";
            }
            try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                if (in == null) {
                    return "cannot open";
                }
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (!readers.hasNext()) {
                    return "not an image";
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    if (reader.getWidth(0) < 1 || reader.getHeight(0) < 1) {
                        return "no pixels";
                    }
                    if (!reader.getImageTypes(0).hasNext()) {
                        return "unsupported colour format";
                    }
                    return null;
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null || e.getMessage().isBlank() ? "unreadable" : "unreadable: " + e.getMessage();
        }
    }
}
