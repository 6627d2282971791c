package io.dlstation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dlstation.error.InternalNames;
import io.dlstation.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of one run: {@code OUT/checkpoints/<step>/} holding {@code model.safetensors} (the
 * PyTorch state dict in float32), {@code optimizer.safetensors} (its state tensors) and {@code
 * manifest.json} — tensors in DJL's safetensors encoding, which PyTorch's {@code safetensors} reads too.
 *
 * <p>A checkpoint is written into a hidden temporary folder beside the others (each file forced to
 * the disk, the manifest with every file's SHA-256 last), then renamed into place in one step, and
 * only then are old checkpoints beyond the number to keep deleted (each renamed out of sight first).
 * A process killed at any moment leaves the previous checkpoints intact and at most a temporary
 * folder, which is ignored and swept up by the next write. Reading checks every hash, so a damaged
 * checkpoint is skipped, not loaded.
 */
final class CheckpointStore {
    /** The model's tensors. */
    public static final String MODEL_FILE = "model.safetensors";
    /** The optimiser's tensors. */
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    /** The manifest, written last. */
    public static final String MANIFEST_FILE = "manifest.json";

    private static final Pattern STEP_FOLDER = Pattern.compile("\\d+");
    private static final String TEMP_PREFIX = ".incomplete-";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;
    private final int keep;
    private final Consumer<String> warnings;

    /**
     * @param root the run's {@code checkpoints} folder
     * @param keep how many of the newest checkpoints to keep
     * @param warnings receives a line for every damaged checkpoint skipped
     */
    public CheckpointStore(Path root, int keep, Consumer<String> warnings) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep < 1: " + keep);
        }
        this.root = root;
        this.keep = keep;
        this.warnings = warnings;
    }

    /** A checkpoint read back: its manifest and its tensors (owned by the manager given to {@link #load}). */
    public record Loaded(Path folder, CheckpointManifest manifest, Map<String, NDArray> model,
            Map<String, NDArray> optimizer) {}

    /**
     * Writes a checkpoint atomically, then deletes the oldest beyond the number to keep.
     *
     * @param manifest everything but the file digests, which are filled in here
     * @return the checkpoint's folder
     */
    public Path write(CheckpointManifest manifest, Map<String, NDArray> model, Map<String, NDArray> optimizer) {
        try {
            Files.createDirectories(root);
            sweepIncomplete();
            Path target = root.resolve(Long.toString(manifest.step()));
            Path temp = Files.createTempDirectory(root, TEMP_PREFIX + manifest.step() + "-");
            Map<String, CheckpointManifest.FileDigest> digests = new LinkedHashMap<>();
            digests.put(MODEL_FILE, writeTensors(temp.resolve(MODEL_FILE), model));
            digests.put(OPTIMIZER_FILE, writeTensors(temp.resolve(OPTIMIZER_FILE), optimizer));
            CheckpointManifest complete = new CheckpointManifest(manifest.schema(), manifest.model(), manifest.step(),
                    manifest.epoch(), manifest.batchInEpoch(), manifest.samplesSeen(), manifest.optimizer(),
                    manifest.lossScale(), manifest.labels(), manifest.settings(), manifest.progress(), digests,
                    manifest.created());
            AtomicFiles.writeDurably(temp.resolve(MANIFEST_FILE), out -> JSON.writeValue(out, complete));
            readableByOthers(temp);
            if (Files.exists(target)) {
                // the same step written again (a resumed run at its checkpoint): replace the old one
                retire(target);
            }
            AtomicFiles.publishDirectory(temp, target);
            prune();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint in " + root + ": " + e.getMessage(), e);
        }
    }

    /** The step folders present, newest first (complete or not: {@link #load} checks). */
    public List<Path> folders() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> STEP_FOLDER.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isDirectory)
                    .sorted(Comparator.comparingLong(CheckpointStore::stepOf).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** The newest checkpoint whose manifest reads and whose files match their hashes; damaged ones are reported. */
    public Optional<Loaded> loadNewest(NDManager manager) {
        for (Path folder : folders()) {
            try {
                return Optional.of(load(folder, manager));
            } catch (DamagedCheckpointException e) {
                warnings.accept("skipping checkpoint " + folder + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Reads one checkpoint folder, checking every file against the manifest. */
    public Loaded load(Path folder, NDManager manager) {
        Path manifestFile = folder.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new DamagedCheckpointException("no " + MANIFEST_FILE);
        }
        CheckpointManifest manifest;
        try {
            manifest = JSON.readValue(manifestFile.toFile(), CheckpointManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new DamagedCheckpointException(MANIFEST_FILE + " does not read: "
                    + InternalNames.firstLineOr(e.getMessage(), "not the JSON expected"));
        }
        if (manifest.schema() != 1 || manifest.files() == null || manifest.settings() == null) {
            throw new DamagedCheckpointException(MANIFEST_FILE + " is not a schema 1 manifest");
        }
        Map<String, Map<String, NDArray>> tensors = new HashMap<>();
        for (String name : List.of(MODEL_FILE, OPTIMIZER_FILE)) {
            CheckpointManifest.FileDigest expected = manifest.files().get(name);
            if (expected == null) {
                throw new DamagedCheckpointException(MANIFEST_FILE + " lists no " + name);
            }
            tensors.put(name, readTensors(folder.resolve(name), expected, manager));
        }
        return new Loaded(folder, manifest, tensors.get(MODEL_FILE), tensors.get(OPTIMIZER_FILE));
    }

    /** Temporary folders are private; a published checkpoint is for reading by others too. */
    private static void readableByOthers(Path folder) throws IOException {
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: keep its defaults
        }
    }

    private static CheckpointManifest.FileDigest writeTensors(Path file, Map<String, NDArray> tensors)
            throws IOException {
        NDList list = new NDList(tensors.size());
        tensors.forEach((name, array) -> {
            array.setName(name);
            list.add(array);
        });
        MessageDigest sha = sha256();
        long[] bytes = new long[1];
        AtomicFiles.writeDurably(file, out -> {
            CountingDigestStream counted = new CountingDigestStream(out, sha);
            list.encode(counted, NDList.Encoding.SAFETENSORS);
            counted.flush();
            bytes[0] = counted.count;
        });
        return new CheckpointManifest.FileDigest(bytes[0], HexFormat.of().formatHex(sha.digest()));
    }

    private static Map<String, NDArray> readTensors(Path file, CheckpointManifest.FileDigest expected,
            NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new DamagedCheckpointException(file.getFileName() + " is missing");
        }
        byte[] content;
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new DamagedCheckpointException(file.getFileName() + " does not read: "
                    + InternalNames.firstLineOr(e.getMessage(), "an I/O error"));
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (content.length != expected.bytes() || !actual.equals(expected.sha256())) {
            throw new DamagedCheckpointException(file.getFileName() + " does not match its SHA-256 in the manifest");
        }
        NDList list = NDList.decode(manager, content);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (NDArray array : list) {
            tensors.put(array.getName(), array);
        }
        return tensors;
    }

    private void prune() throws IOException {
        List<Path> all = folders();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            retire(old);
        }
    }

    /**
     * Deletes a published checkpoint: first renamed to a hidden temporary name in one step, so that a
     * process killed while its files are being deleted leaves no half-deleted step folder behind, only
     * a temporary one that the next write sweeps up.
     */
    private void retire(Path folder) throws IOException {
        Path hidden = root.resolve(TEMP_PREFIX + "retired-" + folder.getFileName() + "-" + System.nanoTime());
        Files.move(folder, hidden, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(hidden);
    }

    private void sweepIncomplete() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }

    private static long stepOf(Path folder) {
        try {
            return Long.parseLong(folder.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A checkpoint folder that is incomplete or damaged. */
    static final class DamagedCheckpointException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DamagedCheckpointException(String message) {
            super(message);
        }
    }

    /** Counts and hashes what passes through. */
    private static final class CountingDigestStream extends DigestOutputStream {
        long count;

        CountingDigestStream(OutputStream out, MessageDigest digest) {
            super(out, digest);
        }

        @Override
        public void write(int b) throws IOException {
            super.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            count += len;
        }
    }
}
