package io.dlstation.serve.loadgen;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The server's own metrics over a run ({@code bench serve --sample-server-metrics}): the samples and the
 * verdict on them.
 *
 * @param intervalS the sampling interval asked for, in seconds (longer runs keep every 2nd, 4th, ... sample)
 * @param scrapeFailures scrapes of {@code /metrics} that got no answer
 */
@JsonPropertyOrder({"interval_s", "scrape_failures", "verdict", "samples"})
public record ServerMetricsReport(double intervalS, int scrapeFailures, SoakVerdict verdict,
        List<ServerSample> samples) {}
