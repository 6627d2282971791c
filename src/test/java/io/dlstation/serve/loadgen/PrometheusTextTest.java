package io.dlstation.serve.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the Prometheus text format as the server and the JVM instrumentation write it. */
class PrometheusTextTest {
    static final String SCRAPE = """
            # HELP jvm_memory_used_bytes Used bytes of a given JVM memory area.
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap"} 1.2582912E8
            jvm_memory_used_bytes{area="nonheap"} 3.0E7
            # TYPE process_resident_memory_bytes gauge
            process_resident_memory_bytes 5.24288E8
            DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-1",pci_bus_id="0000:01:00.0",device="nvidia0",modelName="H200",Hostname="h"} 5210.0
            DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-2",pci_bus_id="0000:02:00.0",device="nvidia1",modelName="H200",Hostname="h"} 790.0
            dlstation_serve_requests_total{model="resnet50",status="200"} 1000.0
            dlstation_serve_requests_total{model="resnet50",status="429"} 7.0
            dlstation_serve_requests_total{model="resnet50",status="504"} 2.0
            dlstation_serve_requests_total{model="other",status="500"} 5.0
            dlstation_serve_request_duration_seconds_bucket{model="resnet50",le="+Inf"} 1009 1700000000000
            odd{note="a \\"quoted\\", comma\\\\ and\\nline"} NaN
            not a sample line
            """;

    @Test
    void readsNamesLabelsValuesAndSkipsCommentsAndJunk() {
        PrometheusText text = PrometheusText.parse(SCRAPE);

        assertThat(text.samples()).hasSize(11);
        assertThat(text.samples().get(0)).isEqualTo(new PrometheusText.Sample("jvm_memory_used_bytes",
                Map.of("area", "heap"), 1.2582912E8));
        assertThat(text.samples().get(2).labels()).isEmpty();
        assertThat(text.samples().get(9).value()).as("the timestamp is not the value").isEqualTo(1009.0);
        assertThat(text.samples().get(9).labels()).containsEntry("le", "+Inf");
        assertThat(text.samples().get(10).labels()).containsEntry("note", "a \"quoted\", comma\\ and\nline");
        assertThat(text.samples().get(10).value()).isNaN();
    }

    @Test
    void sumsTheSamplesWhoseLabelsMatchAndSaysWhenThereAreNone() {
        PrometheusText text = PrometheusText.parse(SCRAPE);

        assertThat(text.sum("DCGM_FI_DEV_FB_USED", l -> true)).isEqualTo(6000.0);
        assertThat(text.sum("dlstation_serve_requests_total", l -> "resnet50".equals(l.get("model")))).isEqualTo(1009.0);
        assertThat(text.sum("odd", l -> true)).as("NaN is no value").isNull();
        assertThat(text.sum("nv_gpu_memory_used_bytes", l -> true)).isNull();
    }

    @Test
    void aSampleOfAModelHasItsMemoryAndFailedRequests() {
        ServerSample s = ServerSample.of(12.3456, PrometheusText.parse(SCRAPE), "resnet50");

        assertThat(s).isEqualTo(new ServerSample(12.346, 1.2582912E8, 5.24288E8, 6000.0 * 1024 * 1024, 1009L, 9L));
        ServerSample triton = ServerSample.of(1, PrometheusText.parse("nv_gpu_memory_used_bytes{gpu_uuid=\"a\"} 2048\n"),
                "m");
        assertThat(triton).isEqualTo(new ServerSample(1, null, null, 2048.0, null, null));
    }
}
