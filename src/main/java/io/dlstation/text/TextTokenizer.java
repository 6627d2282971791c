package io.dlstation.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.dlstation.error.DlstationException;
import io.dlstation.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Hugging Face tokenizer loaded from its {@code tokenizer.json} (the format the {@code tokenizers}
 * library saves; a folder that holds one will do), through DJL's binding of the Rust library. Adds the
 * special tokens the file defines ([CLS] ... [SEP] for BERT), truncates at a maximum length, and pads a
 * batch only to its longest text, rounded up to a multiple of 8 (tensor cores like such lengths) and
 * never past the maximum.
 *
 * <p>Thread-safe: the Rust tokenizer is; {@link #encode} may be called from several threads.
 */
public final class TextTokenizer implements AutoCloseable {
    /** The file name Hugging Face gives a tokenizer. */
    public static final String FILE_NAME = "tokenizer.json";
    /** Padded lengths are multiples of this. */
    public static final int LENGTH_MULTIPLE = 8;

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final long padId;

    private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer, long padId) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.padId = padId;
    }

    /**
     * Loads {@code path}: a {@code tokenizer.json}, or a folder holding one. A missing or unreadable
     * file is a bad-input error naming it.
     */
    public static TextTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            throw DlstationException.badInput("tokenizer " + path + ": no " + FILE_NAME + " there; give a "
                    + "tokenizer.json as Hugging Face's tokenizers library saves it (or a folder holding one), "
                    + "or build one from the training text with --tokenizer build:N");
        }
        try {
            // Truncation and padding are done here, per batch; the file's own settings would pad every text
            // to a fixed length.
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(true)
                    .optPadding(false)
                    .optTruncation(false)
                    .build();
            return new TextTokenizer(file, tokenizer, padId(tokenizer));
        } catch (IOException | RuntimeException e) {
            throw DlstationException.badInput("tokenizer " + file + " cannot be loaded: " + e.getMessage()
                    + "; give a tokenizer.json as Hugging Face's tokenizers library saves it");
        }
    }

    private static long padId(HuggingFaceTokenizer tokenizer) {
        for (String pad : List.of("[PAD]", "<pad>")) {
            Encoding e = tokenizer.encode(pad, false, false);
            long[] ids = e.getIds();
            if (ids.length == 1 && pad.equals(e.getTokens()[0])) {
                return ids[0];
            }
        }
        return 0;
    }

    /** The file this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    /** The id padding positions get ([PAD]'s, else 0). */
    public long padId() {
        return padId;
    }

    /** The ids of one text with special tokens, cut to {@code maxLength} (the final [SEP] kept). */
    public long[] ids(String text, int maxLength) {
        return encode(List.of(text), maxLength).ids().clone();
    }

    /**
     * Tokenizes {@code texts} with special tokens, cuts each at {@code maxLength} tokens (keeping the
     * final special token, as Hugging Face's truncation does), and pads all to the longest, rounded up to
     * a multiple of {@link #LENGTH_MULTIPLE} but not past {@code maxLength}.
     */
    public TokenBatch encode(List<String> texts, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("max length must leave room for [CLS] and [SEP]: " + maxLength);
        }
        Encoding[] encodings = tokenizer.batchEncode(texts.toArray(String[]::new));
        long[][] rows = new long[encodings.length][];
        int longest = 0;
        for (int i = 0; i < encodings.length; i++) {
            rows[i] = truncate(encodings[i].getIds(), maxLength);
            longest = Math.max(longest, rows[i].length);
        }
        int length = paddedLength(longest, maxLength);
        long[] ids = new long[rows.length * length];
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(ids, padId);
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, ids, i * length, rows[i].length);
            java.util.Arrays.fill(mask, i * length, i * length + rows[i].length, 1L);
        }
        return new TokenBatch(rows.length, length, ids, mask);
    }

    /** {@code longest} rounded up to a multiple of {@link #LENGTH_MULTIPLE}, at most {@code maxLength}. */
    public static int paddedLength(int longest, int maxLength) {
        int rounded = (longest + LENGTH_MULTIPLE - 1) / LENGTH_MULTIPLE * LENGTH_MULTIPLE;
        return Math.max(1, Math.min(rounded, maxLength));
    }

    private static long[] truncate(long[] ids, int maxLength) {
        if (ids.length <= maxLength) {
            return ids;
        }
        long[] cut = java.util.Arrays.copyOf(ids, maxLength);
        cut[maxLength - 1] = ids[ids.length - 1];
        return cut;
    }

    /** Copies the tokenizer file to {@code target} whole (through a temporary file). */
    public void save(Path target) {
        try {
            AtomicFiles.write(target, out -> Files.copy(file, out));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the tokenizer " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
