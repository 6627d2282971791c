package io.dlstation.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {
    /** A 95-token BERT WordPiece tokenizer: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, "the" 72, "cat" 73. */
    static Path tinyTokenizer() {
        try {
            return Path.of(TextTokenizerTest.class.getResource("/text/tokenizer.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void addsSpecialTokensAndPadsToTheLongestRoundedUpToEight() {
        try (TextTokenizer tokenizer = TextTokenizer.load(tinyTokenizer())) {
            TokenBatch batch = tokenizer.encode(List.of("The cat", "the cat sat on the mat"), 128);
            assertThat(batch.size()).isEqualTo(2);
            assertThat(batch.length()).isEqualTo(8);
            assertThat(java.util.Arrays.copyOfRange(batch.ids(), 0, 8)).containsExactly(2, 72, 73, 3, 0, 0, 0, 0);
            assertThat(java.util.Arrays.copyOfRange(batch.mask(), 0, 8)).containsExactly(1, 1, 1, 1, 0, 0, 0, 0);
            assertThat(batch.tokens(1)).isEqualTo(8);
            assertThat(tokenizer.padId()).isZero();
        }
    }

    @Test
    void truncatesAtTheMaximumKeepingTheClosingToken() {
        try (TextTokenizer tokenizer = TextTokenizer.load(tinyTokenizer())) {
            TokenBatch batch = tokenizer.encode(List.of("the cat sat on the mat the cat sat on the mat"), 6);
            assertThat(batch.length()).isEqualTo(6);
            assertThat(batch.ids()).containsExactly(2, 72, 73, 75, 76, 3);
        }
    }

    @Test
    void paddedLengthIsAMultipleOfEightWithinTheMaximum() {
        assertThat(TextTokenizer.paddedLength(1, 128)).isEqualTo(8);
        assertThat(TextTokenizer.paddedLength(9, 128)).isEqualTo(16);
        assertThat(TextTokenizer.paddedLength(16, 128)).isEqualTo(16);
        assertThat(TextTokenizer.paddedLength(100, 100)).isEqualTo(100);
    }

    @Test
    void aSavedTokenizerGivesTheSameIds(@TempDir Path dir) {
        List<String> texts = List.of("This movie was great fun!", "I hated the boring cat", "unknown wordz");
        try (TextTokenizer tokenizer = TextTokenizer.load(tinyTokenizer())) {
            tokenizer.save(dir.resolve("tokenizer.json"));
            try (TextTokenizer reloaded = TextTokenizer.load(dir)) {
                assertThat(reloaded.encode(texts, 64).ids()).containsExactly(tokenizer.encode(texts, 64).ids());
            }
        }
    }

    @Test
    void aMissingOrBrokenFileIsBadInputNamingIt(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TextTokenizer.load(dir))
                .isInstanceOf(DlstationException.class).hasMessageContaining("no tokenizer.json");
        Files.writeString(dir.resolve("tokenizer.json"), "{ not json");
        assertThatThrownBy(() -> TextTokenizer.load(dir))
                .isInstanceOf(DlstationException.class).hasMessageContaining("cannot be loaded");
    }
}
