package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.dlstation.error.DlstationException;
import org.junit.jupiter.api.Test;

/** The allocator door on the CPU: nothing to count, nothing to cap, and bad fractions refused. */
class GpuMemoryTest {
    @Test
    void theCpuHasNoAllocatorCounters() {
        assertThat(GpuMemory.counters(Device.cpu())).isEmpty();
    }

    @Test
    void aFractionOutsideZeroToOneIsBadInputNamingTheFlag() {
        for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> GpuMemory.limit(Device.cpu(), bad))
                    .isInstanceOf(DlstationException.class).hasMessageContaining("--memory-fraction");
            assertThatThrownBy(() -> new EngineSettings(null, null, DeviceSpec.CPU, Tf32.ON, bad))
                    .isInstanceOf(DlstationException.class).hasMessageContaining("--memory-fraction");
        }
    }

    @Test
    void tf32ParsesOnAndOffAndRefusesTheRest() {
        assertThat(Tf32.parse("on")).isEqualTo(Tf32.ON);
        assertThat(Tf32.parse(" OFF ")).isEqualTo(Tf32.OFF);
        assertThatThrownBy(() -> Tf32.parse("maybe")).isInstanceOf(DlstationException.class)
                .hasMessageContaining("--tf32 maybe").hasMessageContaining("on or off");
        assertThat(new EngineSettings(null, null, DeviceSpec.CPU).tf32()).isEqualTo(Tf32.ON);
    }
}
