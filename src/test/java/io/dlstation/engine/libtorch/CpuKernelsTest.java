package io.dlstation.engine.libtorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.engine.libtorch.CpuKernels.Choice;
import io.dlstation.engine.libtorch.CpuKernels.Mode;
import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuKernelsTest {
    private static final ProcessorDescription AMD_HIDDEN = new ProcessorDescription("AuthenticAMD", 0);
    private static final ProcessorDescription AMD_DESCRIBED = new ProcessorDescription("AuthenticAMD", 4);
    private static final ProcessorDescription INTEL_HIDDEN = new ProcessorDescription("GenuineIntel", 0);
    private static final ProcessorDescription INTEL_DESCRIBED = new ProcessorDescription("GenuineIntel", 4);

    @TempDir
    Path dir;

    @Test
    void anAmdProcessorThatHidesItsCachesGetsPyTorchsOwnKernels() {
        Choice choice = CpuKernels.decide(AMD_HIDDEN, Mode.AUTO, "amd64");
        assertThat(choice.oneDnn()).isFalse();
        assertThat(choice.nnpack()).isFalse();
        assertThat(choice.warning()).contains("AuthenticAMD", "0x8000001D", "PyTorch's own kernels", "DLSTATION_ONEDNN=on");
    }

    @Test
    void processorsThatDescribeTheirCachesKeepEverything() {
        assertThat(CpuKernels.decide(AMD_DESCRIBED, Mode.AUTO, "amd64")).isEqualTo(Choice.DEFAULTS);
        assertThat(CpuKernels.decide(INTEL_DESCRIBED, Mode.AUTO, "x86_64")).isEqualTo(Choice.DEFAULTS);
    }

    @Test
    void anIntelProcessorThatHidesItsCachesKeepsOneDnnWhoseIntelPathGuessesSizes() {
        Choice choice = CpuKernels.decide(INTEL_HIDDEN, Mode.AUTO, "amd64");
        assertThat(choice.oneDnn()).isTrue();
        assertThat(choice.nnpack()).as("NNPACK cannot start without the cache description").isFalse();
        assertThat(choice.warning()).isNull();
    }

    @Test
    void theUserMayForceOneDnnEitherWay() {
        assertThat(CpuKernels.decide(AMD_HIDDEN, Mode.ON, "amd64").oneDnn()).isTrue();
        Choice off = CpuKernels.decide(INTEL_DESCRIBED, Mode.OFF, "amd64");
        assertThat(off.oneDnn()).isFalse();
        assertThat(off.nnpack()).isTrue();
        assertThat(off.warning()).contains("DLSTATION_ONEDNN=off");
    }

    @Test
    void otherArchitecturesAreLeftAlone() {
        assertThat(CpuKernels.decide(AMD_HIDDEN, Mode.OFF, "aarch64")).isEqualTo(Choice.DEFAULTS);
    }

    @Test
    void aModeThatIsNotAChoiceSaysWhichAreAndBlankMeansAuto() {
        assertThat(Mode.parse(null)).isEqualTo(Mode.AUTO);
        assertThat(Mode.parse(" Off ")).isEqualTo(Mode.OFF);
        assertThatThrownBy(() -> Mode.parse("maybe"))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("DLSTATION_ONEDNN=maybe")
                .hasMessageContaining("auto (the default), on or off");
    }

    @Test
    void theDescriptionIsReadFromCpuinfoAndTheKernelsCacheList() throws IOException {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"),
                "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\n");
        Path caches = Files.createDirectories(dir.resolve("cache"));
        assertThat(ProcessorDescription.read(cpuinfo, caches)).isEqualTo(AMD_HIDDEN);
        assertThat(ProcessorDescription.read(cpuinfo, dir.resolve("absent"))).isEqualTo(AMD_HIDDEN);
        for (int i = 0; i < 4; i++) {
            Path index = Files.createDirectories(caches.resolve("index" + i));
            Files.writeString(index.resolve("size"), "32K\n");
        }
        Files.createDirectories(caches.resolve("power"));
        assertThat(ProcessorDescription.read(cpuinfo, caches)).isEqualTo(AMD_DESCRIBED);
        assertThat(ProcessorDescription.read(dir.resolve("none"), caches).vendor()).isEmpty();
    }
}
