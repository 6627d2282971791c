package io.dlstation.serve.loadgen;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What one scrape of the server's {@code /metrics} said, at {@code tS} seconds into the run; a value
 * the server does not export is null.
 *
 * @param heapUsedBytes JVM heap in use ({@code jvm_memory_used_bytes{area="heap"}})
 * @param rssBytes the process's resident memory ({@code process_resident_memory_bytes})
 * @param gpuUsedBytes device memory in use, summed over the GPUs ({@code DCGM_FI_DEV_FB_USED} in MiB, or
 *     Triton's {@code nv_gpu_memory_used_bytes})
 * @param requests inference requests of the model the server has answered ({@code dlstation_serve_requests_total})
 * @param failedRequests those of them answered with a status of 400 or more
 */
@JsonPropertyOrder({"t_s", "heap_used_bytes", "rss_bytes", "gpu_used_bytes", "requests", "failed_requests"})
public record ServerSample(double tS, Double heapUsedBytes, Double rssBytes, Double gpuUsedBytes, Long requests,
        Long failedRequests) {

    private static final double MIB = 1024.0 * 1024.0;

    /** The sample of model {@code model} in {@code metrics}, taken {@code tS} seconds into the run. */
    static ServerSample of(double tS, PrometheusText metrics, String model) {
        Double heap = metrics.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area")));
        Double rss = metrics.sum("process_resident_memory_bytes", l -> true);
        Double fbMib = metrics.sum("DCGM_FI_DEV_FB_USED", l -> true);
        Double gpu = fbMib != null ? Double.valueOf(fbMib * MIB) : metrics.sum("nv_gpu_memory_used_bytes", l -> true);
        Double requests = metrics.sum("dlstation_serve_requests_total", l -> model.equals(l.get("model")));
        Double failed = metrics.sum("dlstation_serve_requests_total", l -> model.equals(l.get("model"))
                && failedStatus(l.get("status")));
        return new ServerSample(Math.round(tS * 1000) / 1000.0, heap, rss, gpu, whole(requests),
                requests == null ? null : failed == null ? 0L : whole(failed));
    }

    private static boolean failedStatus(String status) {
        try {
            return status != null && Integer.parseInt(status) >= 400;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static Long whole(Double value) {
        return value == null ? null : Math.round(value);
    }
}
