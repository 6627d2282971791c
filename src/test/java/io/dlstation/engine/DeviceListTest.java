package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import org.junit.jupiter.api.Test;

class DeviceListTest {

    @Test
    void allIsEveryGpuElseTheCpu() {
        DeviceList all = DeviceList.parse("--devices", "ALL");
        assertThat(all.resolve(2)).containsExactly(Device.gpu(0), Device.gpu(1));
        assertThat(all.resolve(0)).containsExactly(Device.cpu());
        assertThat(all.engineSpec()).isEqualTo(DeviceSpec.AUTO);
    }

    @Test
    void aListKeepsItsOrderAndStartsAGpuEngine() {
        DeviceList list = DeviceList.parse("--devices", "gpu:1, cuda:0");
        assertThat(list.resolve(2)).containsExactly(Device.gpu(1), Device.gpu(0));
        assertThat(list.engineSpec()).isEqualTo(DeviceSpec.AUTO);
        assertThat(DeviceList.parse("--device", "cpu").engineSpec()).isEqualTo(DeviceSpec.CPU);
        assertThat(DeviceList.parse("--device", "cpu").resolve(2)).containsExactly(Device.cpu());
    }

    @Test
    void aGpuThatDoesNotExistIsBadInputThatSaysWhatExists() {
        assertThatThrownBy(() -> DeviceList.parse("--devices", "gpu:0,gpu:2").resolve(2))
                .isInstanceOfSatisfying(DlstationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining("there is no gpu:2, the engine sees 2 GPU(s); use gpu:0 to gpu:1, or all");
        assertThatThrownBy(() -> DeviceList.parse("--devices", "gpu:0").resolve(0))
                .hasMessageContaining("run 'dlstation info'");
    }

    @Test
    void repeatsEmptyItemsAndMixturesAreRefused() {
        assertThatThrownBy(() -> DeviceList.parse("--devices", "gpu:0,gpu:0").resolve(2))
                .hasMessageContaining("names gpu(0) twice");
        assertThatThrownBy(() -> DeviceList.parse("--devices", "gpu:0,,gpu:1"))
                .hasMessageContaining("has an empty item");
        assertThatThrownBy(() -> DeviceList.parse("--devices", "cpu,gpu:0").resolve(1))
                .hasMessageContaining("mixes the CPU with GPUs");
        assertThatThrownBy(() -> DeviceList.parse("--devices", "tpu:0"))
                .hasMessageContaining("use auto, cpu, gpu or gpu:N");
    }
}
