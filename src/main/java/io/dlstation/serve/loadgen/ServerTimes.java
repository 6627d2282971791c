package io.dlstation.serve.loadgen;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Where a level's time went inside the server, from its {@code /metrics} read as the level's measured
 * time began and as it ended ({@code dlstation serve}'s histograms; other servers have none). Means in
 * milliseconds. What the load generator measured beyond {@code requestMs} is the network, the HTTP
 * server's own handling before the request reaches the endpoint, and the client; what {@code requestMs}
 * holds beyond {@code queueMs} and {@code batchMs} is reading, decoding, and encoding the answer.
 *
 * @param requests requests of the model the server answered in that time
 * @param requestMs from the endpoint receiving a request to its answer handed to the HTTP layer
 * @param queueMs in the model's queue, the batching delay included
 * @param batchMs one batch on the device, the copies in and out included
 * @param batchSize samples per batch
 */
@JsonPropertyOrder({"requests", "request_ms", "queue_ms", "batch_ms", "batch_size"})
public record ServerTimes(long requests, double requestMs, double queueMs, double batchMs, double batchSize) {

    /** The times of {@code model} between two reads of the metrics; null when the server has none or ran nothing. */
    static ServerTimes between(PrometheusText before, PrometheusText after, String model) {
        double[] request = delta(before, after, "dlstation_serve_request_duration_seconds", model);
        double[] queue = delta(before, after, "dlstation_serve_queue_duration_seconds", model);
        double[] batch = delta(before, after, "dlstation_serve_compute_duration_seconds", model);
        double[] size = delta(before, after, "dlstation_serve_batch_size", model);
        if (request == null || queue == null || batch == null || size == null || request[1] < 1 || batch[1] < 1) {
            return null;
        }
        return new ServerTimes(Math.round(request[1]), ms(request), ms(queue), ms(batch),
                round(size[0] / size[1]));
    }

    /** {sum, count} of histogram {@code name} of {@code model} gained between the reads; null if absent. */
    private static double[] delta(PrometheusText before, PrometheusText after, String name, String model) {
        Double sum0 = before.sum(name + "_sum", l -> model.equals(l.get("model")));
        Double sum1 = after.sum(name + "_sum", l -> model.equals(l.get("model")));
        Double count0 = before.sum(name + "_count", l -> model.equals(l.get("model")));
        Double count1 = after.sum(name + "_count", l -> model.equals(l.get("model")));
        if (sum1 == null || count1 == null) {
            return null;
        }
        return new double[] {sum1 - (sum0 == null ? 0 : sum0), count1 - (count0 == null ? 0 : count0)};
    }

    private static double ms(double[] sumCount) {
        return sumCount[1] < 1 ? 0 : round(sumCount[0] * 1000 / sumCount[1]);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
