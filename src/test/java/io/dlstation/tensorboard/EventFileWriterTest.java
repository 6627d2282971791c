package io.dlstation.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.testing.Await;
import io.dlstation.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileWriterTest {
    private static final Instant START = Instant.parse("2025-03-14T15:09:26.535Z");

    @TempDir
    Path dir;

    @Test
    void roundTripsManyScalarsWithTheirTagsStepsValuesAndWallTimes() {
        ManualClock clock = new ManualClock(START);
        List<ScalarEvent> written = new ArrayList<>();
        Path file;
        try (EventFileWriter writer = EventFileWriter.create(dir, clock)) {
            file = writer.file();
            for (int step = 0; step < 500; step++) {
                Instant at = START.plusMillis(250L * step + 1);
                clock.set(at);
                double wallTime = at.getEpochSecond() + at.getNano() / 1e9;
                double loss = 1.0 / (step + 1) - 0.25;
                writer.scalar("train/loss", loss, step);
                written.add(new ScalarEvent("train/loss", step, wallTime, (float) loss));
                if (step % 10 == 0) {
                    Map<String, Double> gpu = new LinkedHashMap<>();
                    gpu.put("gpu0/util", step * 0.2);
                    gpu.put("gpu0/mem_gib", 1e9 + step);
                    gpu.put("gpu0/temp_c", -step * 1.5);
                    writer.scalars(gpu, 1_000_000_000_000L + step);
                    for (Map.Entry<String, Double> e : gpu.entrySet()) {
                        written.add(new ScalarEvent(e.getKey(), 1_000_000_000_000L + step, wallTime,
                                e.getValue().floatValue()));
                    }
                }
            }
        }

        EventFileContents contents = EventFileReader.read(file);

        assertThat(contents.fileVersion()).isEqualTo("brain.Event:2");
        assertThat(contents.complete()).isTrue();
        assertThat(contents.scalars()).hasSize(500 + 50 * 3).containsExactlyElementsOf(written);
    }

    @Test
    void specialFloatValuesSurvive() {
        Path file;
        try (EventFileWriter writer = EventFileWriter.create(dir, Clock.fixed(START, ZoneOffset.UTC))) {
            file = writer.file();
            writer.scalar("nan", Double.NaN, 1);
            writer.scalar("inf", Double.NEGATIVE_INFINITY, 2);
            writer.scalar("zero", 0.0, 3);
            writer.scalar("big", 1e300, 4);
        }

        assertThat(EventFileReader.read(file).scalars()).extracting(ScalarEvent::value)
                .containsExactly(Float.NaN, Float.NEGATIVE_INFINITY, 0f, Float.POSITIVE_INFINITY);
    }

    @Test
    void fileIsNamedForTheSecondAndHostAndStartsWithTheFileVersion() throws Exception {
        Path nested = dir.resolve("out/tensorboard");
        try (EventFileWriter writer = EventFileWriter.create(nested, Clock.fixed(START, ZoneOffset.UTC))) {
            assertThat(writer.file().getParent()).isEqualTo(nested);
            assertThat(writer.file().getFileName().toString())
                    .isEqualTo("events.out.tfevents.1741964966." + EventFileWriter.localHostName());
            // visible before any scalar or flush: the header is flushed on creation
            EventFileContents header = EventFileReader.read(writer.file());
            assertThat(header.fileVersion()).isEqualTo("brain.Event:2");
            assertThat(header.scalars()).isEmpty();
        }
    }

    @Test
    void twoWritersInTheSameSecondNeverShareAFile() {
        Clock clock = Clock.fixed(START, ZoneOffset.UTC);
        Path first;
        Path second;
        Path third;
        try (EventFileWriter a = EventFileWriter.create(dir, clock, "host");
                EventFileWriter b = EventFileWriter.create(dir, clock, "host");
                EventFileWriter c = EventFileWriter.create(dir, clock, "host")) {
            a.scalar("who", 1, 1);
            b.scalar("who", 2, 1);
            c.scalar("who", 3, 1);
            first = a.file();
            second = b.file();
            third = c.file();
        }

        assertThat(first.getFileName()).hasToString("events.out.tfevents.1741964966.host");
        assertThat(second.getFileName()).hasToString("events.out.tfevents.1741964966.host.1");
        assertThat(third.getFileName()).hasToString("events.out.tfevents.1741964966.host.2");
        assertThat(EventFileReader.read(first).scalars()).extracting(ScalarEvent::value).containsExactly(1f);
        assertThat(EventFileReader.read(second).scalars()).extracting(ScalarEvent::value).containsExactly(2f);
        assertThat(EventFileReader.read(third).scalars()).extracting(ScalarEvent::value).containsExactly(3f);
    }

    @Test
    void concurrentWritersLoseNoRecordAndCorruptNone() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        Path file;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (EventFileWriter writer = EventFileWriter.create(dir, Clock.fixed(START, ZoneOffset.UTC))) {
            file = writer.file();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String tag = "thread" + t;
                done.add(pool.submit(() -> {
                    Await.open(go, Duration.ofMinutes(1), "the start signal");
                    for (int i = 0; i < perThread; i++) {
                        if (i % 2 == 0) {
                            writer.scalar(tag, i, i);
                        } else {
                            writer.scalars(Map.of(tag, (double) i), i);
                        }
                        if (i % 500 == 0) {
                            writer.flush();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                Await.result(f, Duration.ofMinutes(2), "a writer thread to finish");
            }
        } finally {
            pool.shutdownNow();
        }

        EventFileContents contents = EventFileReader.read(file);

        assertThat(contents.complete()).isTrue();
        assertThat(contents.scalars()).hasSize(threads * perThread);
        Set<String> seen = new HashSet<>();
        for (ScalarEvent e : contents.scalars()) {
            assertThat(e.value()).isEqualTo((float) e.step());
            assertThat(seen.add(e.tag() + "@" + e.step())).as("duplicate %s", e).isTrue();
        }
        for (int t = 0; t < threads; t++) {
            String tag = "thread" + t;
            assertThat(contents.scalars()).filteredOn(e -> e.tag().equals(tag))
                    .extracting(ScalarEvent::step).isSorted().hasSize(perThread);
        }
    }

    @Test
    void writesAfterCloseThrowAndCloseTwiceIsHarmless() {
        EventFileWriter writer = EventFileWriter.create(dir, Clock.fixed(START, ZoneOffset.UTC));
        writer.close();
        writer.close();

        assertThatThrownBy(() -> writer.scalar("a", 1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(writer.file().toString());
        assertThatThrownBy(() -> writer.scalars(Map.of("a", 1.0), 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.scalars(Map.of(), 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(writer::flush).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void emptyTagIsRefused() {
        try (EventFileWriter writer = EventFileWriter.create(dir, Clock.fixed(START, ZoneOffset.UTC))) {
            assertThatThrownBy(() -> writer.scalar("", 1, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamedInTheError() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");

        assertThatThrownBy(() -> EventFileWriter.create(notADirectory.resolve("tb"), Clock.systemUTC()))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining(notADirectory.resolve("tb").toString());
    }

    @Test
    void hostNameIsAUsableFileNamePart() {
        assertThat(EventFileWriter.localHostName()).isNotBlank().matches("[A-Za-z0-9._-]+");
    }
}
