package io.dlstation.serve.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.junit.jupiter.api.Test;

/** A level whose two halves disagree by more than a tenth is flagged, warming up or slowing down. */
class SteadinessTest {
    @Test
    void halvesAreRequestsPerSecondOfHalfTheTime() {
        Steadiness s = Steadiness.of(1000, 1050, 20);
        assertThat(s.firstHalfRequestsPerSecond()).isEqualTo(100.0);
        assertThat(s.secondHalfRequestsPerSecond()).isEqualTo(105.0);
        assertThat(s.steady()).isTrue();
        assertThat(s.warning(256)).isNull();
    }

    @Test
    void aServerStillWarmingUpIsToldToMeasureLonger() {
        Steadiness s = Steadiness.of(6000, 9000, 20);
        assertThat(s.steady()).isFalse();
        assertThat(s.warning(256)).contains("concurrency 256", "600.0 req/s in the first half", "900.0 in the second",
                "still warming up", "--warmup");
        assertThat(Steadiness.of(1000, 1101, 20).steady()).isFalse();
        assertThat(Steadiness.of(1000, 1099, 20).steady()).isTrue();
    }

    @Test
    void aServerSlowingDownIsNamedAsSuch() {
        assertThat(Steadiness.of(1000, 850, 20).warning(8)).contains("slowed down", "nvidia-smi");
        assertThat(Steadiness.of(1000, 0, 20).steady()).isFalse();
        assertThat(Steadiness.of(0, 0, 20).steady()).isTrue();
    }

    @Test
    void theJsonCarriesBothHalvesAndTheVerdict() {
        JsonNode json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .valueToTree(Steadiness.of(600, 900, 2));
        assertThat(json.toString()).isEqualTo(
                "{\"first_half_requests_per_second\":600.0,\"second_half_requests_per_second\":900.0,\"steady\":false}");
    }
}
