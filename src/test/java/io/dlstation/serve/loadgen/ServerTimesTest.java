package io.dlstation.serve.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where a level's time went inside the server, from two reads of its histograms. */
class ServerTimesTest {
    private static PrometheusText scrape(double requestSum, long requests, double queueSum, double batchSum, long batches,
            long samples) {
        return PrometheusText.parse(String.format(java.util.Locale.ROOT, """
                dlstation_serve_request_duration_seconds_bucket{model="m",le="+Inf"} %d
                dlstation_serve_request_duration_seconds_count{model="m"} %d
                dlstation_serve_request_duration_seconds_sum{model="m"} %f
                dlstation_serve_queue_duration_seconds_count{model="m"} %d
                dlstation_serve_queue_duration_seconds_sum{model="m"} %f
                dlstation_serve_compute_duration_seconds_count{model="m"} %d
                dlstation_serve_compute_duration_seconds_sum{model="m"} %f
                dlstation_serve_batch_size_count{model="m"} %d
                dlstation_serve_batch_size_sum{model="m"} %d
                dlstation_serve_request_duration_seconds_count{model="other"} 999
                dlstation_serve_request_duration_seconds_sum{model="other"} 999
                """, requests, requests, requestSum, requests, queueSum, batches, batchSum, batches, samples));
    }

    @Test
    void meansOverWhatHappenedBetweenTheTwoReads() {
        PrometheusText before = scrape(10.0, 1000, 4.0, 5.0, 100, 1000);
        PrometheusText after = scrape(10.0 + 400 * 0.005, 1400, 4.0 + 400 * 0.002, 5.0 + 50 * 0.024, 150, 1000 + 400);

        assertThat(ServerTimes.between(before, after, "m")).isEqualTo(new ServerTimes(400, 5.0, 2.0, 24.0, 8.0));
    }

    @Test
    void aServerWithoutTheseMetricsOrANewModelHasNone() {
        PrometheusText none = PrometheusText.parse("jvm_memory_used_bytes{area=\"heap\"} 1\n");
        assertThat(ServerTimes.between(none, none, "m")).isNull();
        PrometheusText idle = scrape(1.0, 10, 1.0, 1.0, 10, 10);
        assertThat(ServerTimes.between(idle, idle, "m")).as("nothing ran in between").isNull();
        assertThat(ServerTimes.between(none, scrape(0.004, 1, 0.001, 0.002, 1, 1), "m"))
                .as("the model's first requests").isEqualTo(new ServerTimes(1, 4.0, 1.0, 2.0, 1.0));
    }
}
