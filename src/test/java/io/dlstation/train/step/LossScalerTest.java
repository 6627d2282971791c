package io.dlstation.train.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossScalerTest {

    @Test
    void startsAtPyTorchsDefault() {
        assertThat(new LossScaler().state()).isEqualTo(new LossScaler.State(65536f, 0));
    }

    @Test
    void halvesOnOverflowAndResetsTheCleanCount() {
        LossScaler scaler = new LossScaler();
        scaler.update(false);
        scaler.update(false);
        scaler.update(true);
        assertThat(scaler.state()).isEqualTo(new LossScaler.State(32768f, 0));
        scaler.update(true);
        assertThat(scaler.scale()).isEqualTo(16384f);
    }

    @Test
    void doublesAfter2000CleanStepsInARow() {
        LossScaler scaler = new LossScaler();
        for (int i = 0; i < 1999; i++) {
            scaler.update(false);
        }
        assertThat(scaler.state()).isEqualTo(new LossScaler.State(65536f, 1999));
        scaler.update(false);
        assertThat(scaler.state()).isEqualTo(new LossScaler.State(131072f, 0));
    }

    @Test
    void anOverflowInTheRunRestartsTheCount() {
        LossScaler scaler = new LossScaler(1024f, 2f, 0.5f, 3);
        scaler.update(false);
        scaler.update(false);
        scaler.update(true); // 512, count 0
        scaler.update(false);
        scaler.update(false);
        assertThat(scaler.scale()).isEqualTo(512f);
        scaler.update(false);
        assertThat(scaler.scale()).isEqualTo(1024f);
    }

    @Test
    void restoresASavedState() {
        LossScaler scaler = new LossScaler();
        scaler.restore(new LossScaler.State(256f, 17));
        assertThat(scaler.state()).isEqualTo(new LossScaler.State(256f, 17));
        assertThatThrownBy(() -> scaler.restore(new LossScaler.State(0f, 0))).isInstanceOf(IllegalArgumentException.class);
    }
}
