package io.dlstation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataTypeGuardTest {

    @Test
    void refusesBfloat16BeforeItReachesTheJni() {
        assertThatThrownBy(() -> DataTypeGuard.requireSupported(DataType.BFLOAT16))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("bfloat16")
                .hasMessageContaining("fp16-mixed")
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED));
    }

    @Test
    void passesTypesTheJniMaps() {
        for (DataType t : new DataType[] {DataType.FLOAT32, DataType.FLOAT16, DataType.INT64, DataType.UINT8}) {
            assertThat(DataTypeGuard.requireSupported(t)).isSameAs(t);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bf16", "BF16", "bf16-mixed", "bfloat16"})
    void precisionParsingRefusesEverySpellingOfBfloat16(String text) {
        assertThatThrownBy(() -> Precision.parse(text))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("bfloat16 is not supported");
    }

    @Test
    void precisionParsesKnownValuesAndNamesTheChoicesOtherwise() {
        assertThat(Precision.parse("fp32")).isEqualTo(Precision.FP32);
        assertThat(Precision.parse(" FP16-Mixed ")).isEqualTo(Precision.FP16_MIXED);
        assertThatThrownBy(() -> Precision.parse("fp8"))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("fp8")
                .hasMessageContaining("fp32, fp16 or fp16-mixed")
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.BAD_INPUT));
    }
}
