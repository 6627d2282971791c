package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceSpecTest {

    @Test
    void parsesEveryAcceptedForm() {
        assertThat(DeviceSpec.parse("auto")).isEqualTo(DeviceSpec.AUTO);
        assertThat(DeviceSpec.parse("CPU")).isEqualTo(DeviceSpec.CPU);
        assertThat(DeviceSpec.parse("gpu")).isEqualTo(new DeviceSpec(DeviceSpec.Kind.GPU, 0));
        assertThat(DeviceSpec.parse("gpu:3")).isEqualTo(new DeviceSpec(DeviceSpec.Kind.GPU, 3));
        assertThat(DeviceSpec.parse("cuda:1").toString()).isEqualTo("gpu:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tpu", "gpu:", "gpu:-1", "gpu:x", "gpu:1:2"})
    void refusesAnythingElseNamingTheAcceptedForms(String text) {
        assertThatThrownBy(() -> DeviceSpec.parse(text))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("auto, cpu, gpu or gpu:N");
    }

    @Test
    void resolvesAgainstWhatTheEngineSees() {
        assertThat(DeviceSpec.AUTO.resolve(0)).isEqualTo(Device.cpu());
        assertThat(DeviceSpec.AUTO.resolve(2)).isEqualTo(Device.gpu(0));
        assertThat(DeviceSpec.CPU.resolve(2)).isEqualTo(Device.cpu());
        assertThat(DeviceSpec.parse("gpu:1").resolve(2)).isEqualTo(Device.gpu(1));
    }

    @Test
    void aGpuTheEngineCannotSeeIsNotFound() {
        assertThatThrownBy(() -> DeviceSpec.parse("gpu:2").resolve(2))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("sees 2 GPU(s)")
                .hasMessageContaining("gpu:0 to gpu:1")
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> DeviceSpec.parse("gpu").resolve(0)).hasMessageContaining("--device cpu");
    }
}
