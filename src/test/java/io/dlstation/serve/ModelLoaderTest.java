package io.dlstation.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.models.ServingOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which batch sizes warm-up runs before a model is ready. */
class ModelLoaderTest {
    private static ServingOptions serving(int max, List<Integer> preferred, int batches, Boolean everySize) {
        return new ServingOptions(max, null, preferred, null, null, null, null, batches, everySize);
    }

    @Test
    void warmUpRunsTheSizesTheBatcherFormsMost() {
        assertThat(ModelLoader.warmUpSizes(serving(8, List.of(4), 2, null), false)).containsExactly(1, 1, 4, 4, 8, 8);
        assertThat(ModelLoader.warmUpSizes(serving(8, List.of(4), 2, false), true)).containsExactly(1, 1, 4, 4, 8, 8);
        assertThat(ModelLoader.warmUpSizes(serving(8, List.of(4), 0, null), true)).isEmpty();
    }

    @Test
    void warmUpEverySizeAddsOnePassAtEachOtherSizeAndIsTheDefaultOnGpus() {
        assertThat(ModelLoader.warmUpSizes(serving(6, List.of(4), 2, true), false))
                .containsExactly(1, 1, 4, 4, 6, 6, 2, 3, 5);
        assertThat(ModelLoader.warmUpSizes(serving(6, List.of(4), 2, null), true))
                .containsExactly(1, 1, 4, 4, 6, 6, 2, 3, 5);
        assertThat(ModelLoader.warmUpSizes(serving(128, List.of(32, 64), 1, null), true))
                .hasSize(128).doesNotHaveDuplicates();
        assertThatThrownBy(() -> serving(8, List.of(), 0, true)).hasMessageContaining("warmup_every_size needs warmup_batches");
    }
}
