package io.dlstation.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void stopsAfterPatienceEpochsWithoutEnoughImprovement() {
        EarlyStopping stopping = new EarlyStopping(2, 0.01, null);
        assertThat(stopping.record(1.0)).isFalse();
        assertThat(stopping.record(0.995)).isFalse(); // less than min delta: not an improvement
        assertThat(stopping.record(0.5)).isFalse(); // improvement resets
        assertThat(stopping.record(0.6)).isFalse();
        assertThat(stopping.record(0.7)).isTrue();
        assertThat(stopping.best()).isEqualTo(0.5);
    }

    @Test
    void patienceZeroNeverStopsAndTheStateCarriesOver() {
        EarlyStopping stopping = new EarlyStopping(0, 0, null);
        for (int i = 0; i < 10; i++) {
            assertThat(stopping.record(1.0 + i)).isFalse();
        }
        EarlyStopping restored = new EarlyStopping(3, 0, stopping.state());
        assertThat(restored.best()).isEqualTo(1.0);
        assertThat(restored.record(2.0)).isTrue(); // 9 + 1 epochs without improvement already
    }
}
