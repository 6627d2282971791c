package io.dlstation.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CudaVersionsTest {

    @Test
    void convertsBetweenNvmlCodesAndDottedVersions() {
        assertThat(CudaVersions.fromCode(13000)).isEqualTo("13.0");
        assertThat(CudaVersions.fromCode(12080)).isEqualTo("12.8");
        assertThat(CudaVersions.code("12.8")).isEqualTo(12080);
        assertThat(CudaVersions.code("13")).isEqualTo(13000);
        assertThat(CudaVersions.code(null)).isEqualTo(-1);
        assertThat(CudaVersions.code("x.y")).isEqualTo(-1);
    }

    @Test
    void readsPyTorchFlavours() {
        assertThat(CudaVersions.codeOfFlavor("cu128")).isEqualTo(12080);
        assertThat(CudaVersions.codeOfFlavor("cu130")).isEqualTo(13000);
        assertThat(CudaVersions.codeOfFlavor("cu118-precxx11")).isEqualTo(11080);
        assertThat(CudaVersions.codeOfFlavor("cpu")).isEqualTo(-1);
        assertThat(CudaVersions.codeOfFlavor(null)).isEqualTo(-1);
    }
}
