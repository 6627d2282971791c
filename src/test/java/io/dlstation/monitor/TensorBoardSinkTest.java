package io.dlstation.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.tensorboard.EventFileReader;
import io.dlstation.tensorboard.EventFileWriter;
import io.dlstation.tensorboard.ScalarEvent;
import io.dlstation.time.ManualClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardSinkTest {
    @TempDir
    Path dir;

    @Test
    void writesEverySnapshotsNumbersAtCountingSteps() {
        Sampler sampler = new Sampler(FakeGpuTelemetry.twoGpus(), new FakeHostTelemetry(),
                new ManualClock(Instant.parse("2025-06-01T10:00:00Z")), () -> 0);
        MonitorSnapshot first = sampler.sample();
        try (TensorBoardSink sink = new TensorBoardSink(EventFileWriter.create(dir,
                Clock.fixed(Instant.parse("2025-06-01T10:00:00Z"), ZoneOffset.UTC)))) {
            sink.accept(first);
            sink.accept(sampler.sample());
        }
        List<ScalarEvent> events = EventFileReader.read(onlyFile(dir)).scalars();
        var expected = SnapshotScalars.of(first);
        assertThat(expected).isNotEmpty();
        assertThat(events).hasSize(2 * expected.size());
        assertThat(events).filteredOn(e -> e.step() == 0).extracting(ScalarEvent::tag)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(events).extracting(ScalarEvent::step).containsOnly(0L, 1L);
    }

    private static Path onlyFile(Path dir) {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                    .orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
