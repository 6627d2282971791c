package io.dlstation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    private Path write(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("dlstation.yaml"), yaml);
    }

    @Test
    void readsTheEngineSection() throws IOException {
        Path file = write("# engine settings\nengine:\n  pytorch_home: auto\n  device: gpu:1\n");
        DlstationConfig config = ConfigLoader.read(file);
        assertThat(config.engine().pytorchHome()).isEqualTo("auto");
        assertThat(config.engine().device().toString()).isEqualTo("gpu:1");
        assertThat(config.engine().pytorchJni()).isNull();
    }

    @Test
    void noFileOrAnEmptyOneMeansDefaults() throws IOException {
        assertThat(ConfigLoader.load(null, tmp)).isEqualTo(DlstationConfig.defaults());
        write("   \n");
        assertThat(ConfigLoader.load(null, tmp)).isEqualTo(DlstationConfig.defaults());
    }

    @Test
    void theDefaultFileInTheWorkingFolderIsRead() throws IOException {
        write("engine:\n  device: cpu\n");
        assertThat(ConfigLoader.load(null, tmp).engine().device().toString()).isEqualTo("cpu");
    }

    @Test
    void anExplicitFileMustExist() {
        Path missing = tmp.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, tmp))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("--config " + missing)
                .hasMessageContaining("no such file");
    }

    @Test
    void anUnknownFieldNamesFileLineFieldAndTheKnownOnes() throws IOException {
        Path file = write("engine:\n  device: cpu\n  pytorch_hme: auto\n");
        assertThatThrownBy(() -> ConfigLoader.read(file))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3")
                .hasMessageContaining("unknown field 'engine.pytorch_hme'")
                .hasMessageContaining("pytorch_home")
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.BAD_INPUT));
    }

    @Test
    void aBadValueNamesTheFieldAndTheAcceptedForms() throws IOException {
        Path file = write("engine:\n  device: tpu:0\n");
        assertThatThrownBy(() -> ConfigLoader.read(file))
                .hasMessageContaining("line 2")
                .hasMessageContaining("field 'engine.device'")
                .hasMessageContaining("'tpu:0' is not a device")
                .hasMessageContaining("auto, cpu, gpu or gpu:N")
                .hasMessageNotContaining("deserialize");
    }

    @Test
    void aWrongShapeNamesTheFieldWithoutJavaTypeNames() throws IOException {
        Path file = write("engine:\n  device: [cpu, gpu]\n");
        assertThatThrownBy(() -> ConfigLoader.read(file))
                .hasMessageContaining("line 2")
                .hasMessageContaining("field 'engine.device'")
                .hasMessageNotContaining("java.lang");
    }

    @Test
    void brokenYamlNamesTheLine() throws IOException {
        Path file = write("engine:\n  device: cpu\n\tpytorch_home: auto\n"); // YAML forbids tabs
        assertThatThrownBy(() -> ConfigLoader.read(file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3")
                .hasMessageContaining("not valid YAML")
                .hasMessageContaining("TAB")
                .hasMessageNotContaining("\n");
    }
}
