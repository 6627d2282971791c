package io.dlstation.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantAfterALinearWarmUp() {
        LearningRateSchedule s = new LearningRateSchedule(0.1f, false, 4, 100);
        assertThat(s.at(0)).isCloseTo(0.02f, offset(1e-7f));
        assertThat(s.at(3)).isCloseTo(0.08f, offset(1e-7f));
        assertThat(s.at(4)).isEqualTo(0.1f);
        assertThat(s.at(99)).isEqualTo(0.1f);
    }

    @Test
    void cosineFallsToZeroAtTheEnd() {
        LearningRateSchedule s = new LearningRateSchedule(1f, true, 0, 100);
        assertThat(s.at(0)).isEqualTo(1f);
        assertThat(s.at(50)).isCloseTo(0.5f, offset(1e-6f));
        assertThat(s.at(100)).isCloseTo(0f, offset(1e-6f));
        assertThat(s.at(25)).isGreaterThan(s.at(26));
    }
}
