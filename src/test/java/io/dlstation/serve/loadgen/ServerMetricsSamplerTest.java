package io.dlstation.serve.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sampler's memory bound and its progress line; its scraping runs in the server tests. */
class ServerMetricsSamplerTest {
    @Test
    void pastTheCapEveryOtherSampleIsDroppedAndThenEveryOtherScrape() {
        ServerMetricsSampler sampler = new ServerMetricsSampler(HttpClient.newHttpClient(), "http://127.0.0.1:1", "m",
                Duration.ofSeconds(1), null);
        int scrapes = 5 * ServerMetricsSampler.MAX_SAMPLES;
        for (int i = 0; i < scrapes; i++) {
            if (sampler.due()) {
                sampler.add(new ServerSample(i, 1.0, null, null, null, null));
            }
        }

        List<ServerSample> kept = sampler.samples();
        assertThat(kept.size()).isLessThan(ServerMetricsSampler.MAX_SAMPLES).isGreaterThan(ServerMetricsSampler.MAX_SAMPLES / 4);
        assertThat(kept.get(0).tS()).isZero();
        assertThat(kept.get(kept.size() - 1).tS()).isGreaterThan(scrapes - 16);
        for (int i = 1; i < kept.size(); i++) {
            assertThat(kept.get(i).tS()).isGreaterThan(kept.get(i - 1).tS());
        }
        double spacingAtStart = kept.get(1).tS() - kept.get(0).tS();
        double spacingAtEnd = kept.get(kept.size() - 1).tS() - kept.get(kept.size() - 2).tS();
        assertThat(spacingAtEnd).as("evenly thinned").isEqualTo(spacingAtStart);
    }

    @Test
    void aSampleLineNamesWhatTheServerDoesNotExport() {
        assertThat(ServerMetricsSampler.line(new ServerSample(60, 200 * 1048576.0, null, 5210 * 1048576.0, 42L, 0L)))
                .isEqualTo("server at 60 s: heap 200.0 MiB, RSS -, GPU 5210.0 MiB, 42 requests, 0 failed");
    }
}
