package io.dlstation.engine;

import io.dlstation.testing.SteppingScheduler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class MemoryProfilerTest {

    /** A probe that returns queued readings, then repeats the last one. */
    static final class ScriptedProbe implements MemoryProbe {
        private final Deque<Long> readings = new ArrayDeque<>();
        private long last = -1;

        ScriptedProbe then(long... values) {
            for (long v : values) {
                readings.add(v);
            }
            return this;
        }

        @Override
        public long usedBytes() {
            if (!readings.isEmpty()) {
                last = readings.poll();
            }
            return last;
        }

        @Override
        public String source() {
            return "scripted";
        }
    }

    @Test
    void reportsStartEndPeakAndGrowthFromSampledReadings() {
        SteppingScheduler scheduler = new SteppingScheduler();
        ScriptedProbe probe = new ScriptedProbe().then(100, 400, 900, 300, 250);
        MemoryProfiler profiler = new MemoryProfiler(probe, scheduler, Duration.ofMillis(10)).start();
        scheduler.tick(); // 400
        scheduler.tick(); // 900
        scheduler.tick(); // 300
        MemoryProfile profile = profiler.stop(); // end: 250
        assertThat(profile.startBytes()).isEqualTo(100);
        assertThat(profile.endBytes()).isEqualTo(250);
        assertThat(profile.peakBytes()).isEqualTo(900);
        assertThat(profile.growthBytes()).isEqualTo(150);
        assertThat(profile.peakGrowthBytes()).isEqualTo(800);
        assertThat(profile.samples()).isEqualTo(5);
        assertThat(profile.source()).isEqualTo("scripted");
        assertThat(scheduler.cancelled()).isTrue();
    }

    @Test
    void unreadableSamplesNeverBecomeThePeak() {
        SteppingScheduler scheduler = new SteppingScheduler();
        ScriptedProbe probe = new ScriptedProbe().then(-1, -1, -1);
        MemoryProfiler profiler = new MemoryProfiler(probe, scheduler, Duration.ofMillis(10)).start();
        scheduler.tick();
        MemoryProfile profile = profiler.stop();
        assertThat(profile.peakBytes()).isEqualTo(-1);
        assertThat(profile.samples()).isZero();
        assertThat(profile.growthBytes()).isZero();
    }

    @Test
    void profileWrapsWorkAndStopsSamplingWhenItFails() throws Exception {
        SteppingScheduler scheduler = new SteppingScheduler();
        ScriptedProbe probe = new ScriptedProbe().then(10, 50);
        MemoryProfiler.Profiled<String> run = MemoryProfiler.profile(probe, scheduler, Duration.ofMillis(5), () -> {
            scheduler.tick();
            return "done";
        });
        assertThat(run.value()).isEqualTo("done");
        assertThat(run.memory().peakBytes()).isEqualTo(50);

        SteppingScheduler second = new SteppingScheduler();
        assertThatThrownBy(() -> MemoryProfiler.profile(new ScriptedProbe().then(1), second, Duration.ofMillis(5), () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(second.cancelled()).isTrue();
    }

    @Test
    void refusesMisuse() {
        SteppingScheduler scheduler = new SteppingScheduler();
        assertThatThrownBy(() -> new MemoryProfiler(new ScriptedProbe(), scheduler, Duration.ZERO))
                .hasMessageContaining("interval <= 0");
        MemoryProfiler profiler = new MemoryProfiler(new ScriptedProbe(), scheduler, Duration.ofMillis(1));
        assertThatThrownBy(profiler::stop).hasMessageContaining("not started");
        profiler.start();
        assertThatThrownBy(profiler::start).hasMessageContaining("already started");
    }
}
