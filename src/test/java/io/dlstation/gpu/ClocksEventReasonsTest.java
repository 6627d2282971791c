package io.dlstation.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClocksEventReasonsTest {

    @Test
    void noBitsMeansUnrestrictedClocks() {
        assertThat(ClocksEventReasons.names(0)).isEmpty();
        assertThat(ClocksEventReasons.isSlowdown(0)).isFalse();
    }

    @Test
    void decodesEachDocumentedBitInOrder() {
        assertThat(ClocksEventReasons.names(0x1)).containsExactly("GpuIdle");
        assertThat(ClocksEventReasons.names(0x4 | 0x40)).containsExactly("SwPowerCap", "HwThermalSlowdown");
        assertThat(ClocksEventReasons.names(0x1FF)).hasSize(9).startsWith("GpuIdle").endsWith("DisplayClockSetting");
    }

    @Test
    void keepsUndocumentedBitsVisible() {
        assertThat(ClocksEventReasons.names(0x1 | 0x1000)).containsExactly("GpuIdle", "Unknown(0x1000)");
    }

    @Test
    void idleAndApplicationClocksAreNotSlowdowns() {
        assertThat(ClocksEventReasons.isSlowdown(0x1 | 0x2 | 0x100)).isFalse();
        assertThat(ClocksEventReasons.isSlowdown(0x4)).isTrue();
        assertThat(ClocksEventReasons.isSlowdown(0x20)).isTrue();
        assertThat(ClocksEventReasons.isSlowdown(0x80)).isTrue();
    }
}
