package io.dlstation.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.AgeLimit;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.maintain.task.CronSchedule;
import io.dlstation.maintain.task.MaintenanceTask;
import io.dlstation.maintain.task.RetentionTask;
import io.dlstation.testing.SteppingScheduler;
import io.dlstation.time.ManualClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules on an injected clock: next runs, runs on time, missed runs folded into one, the daemon loop. */
class ScheduleTest {
    @TempDir
    Path tmp;

    // Wednesday 2025-06-04 12:00 UTC
    private final ManualClock clock = new ManualClock(Trees.NOW, ZoneOffset.UTC);
    private Path logsFolder;
    private MaintenanceTask logs;
    private MaintenanceTask models;

    @BeforeEach
    void tasks() throws IOException {
        logsFolder = Files.createDirectories(tmp.resolve("logs"));
        Path modelFolder = Files.createDirectories(tmp.resolve("models"));
        Trees.file(modelFolder.resolve("w.bin"), 100, 1);
        logs = new RetentionTask("logs", List.of(logsFolder), "*.log", AgeLimit.parse("30d"), null, null, 0,
                CronSchedule.parse(CronSchedule.DAILY_AT_2));
        models = new BackupTask("models", List.of(modelFolder), tmp.resolve("backups"), null, 2, true,
                CronSchedule.parse(CronSchedule.SUNDAYS_AT_3));
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void nextRunsFollowTheSeedsDefaults() {
        MaintenanceScheduler s = new MaintenanceScheduler(List.of(logs, models), clock, Map.of());
        assertThat(s.nextRun(logs)).hasValue(at("2025-06-05T02:00:00Z"));
        assertThat(s.nextRun(models)).hasValue(at("2025-06-08T03:00:00Z"));
        assertThat(s.due()).isEmpty();
    }

    @Test
    void aTaskRunsOnceAtItsSlot() {
        MaintenanceScheduler s = new MaintenanceScheduler(List.of(logs, models), clock, Map.of());
        List<MaintenanceScheduler.Due> ran = new ArrayList<>();
        clock.set(at("2025-06-05T01:59:59Z"));
        assertThat(s.tick(ran::add)).isEmpty();
        clock.set(at("2025-06-05T02:00:20Z"));
        s.tick(ran::add);
        clock.set(at("2025-06-05T02:01:00Z"));
        s.tick(ran::add);
        assertThat(ran).singleElement().satisfies(d -> {
            assertThat(d.task()).isEqualTo(logs);
            assertThat(d.slot()).isEqualTo(at("2025-06-05T02:00:00Z"));
            assertThat(d.missed()).isZero();
            assertThat(d.trigger()).isEqualTo("schedule");
        });
        assertThat(s.nextRun(logs)).hasValue(at("2025-06-06T02:00:00Z"));
    }

    @Test
    void slotsMissedDuringASuspendRunOnceNotOncePerSlot() {
        MaintenanceScheduler s = new MaintenanceScheduler(List.of(logs, models), clock, Map.of());
        List<MaintenanceScheduler.Due> ran = new ArrayList<>();
        // the machine sleeps from Wednesday noon to Monday 09:00: four daily slots and one Sunday slot pass
        clock.set(at("2025-06-09T09:00:00Z"));
        s.tick(ran::add);
        s.tick(ran::add);
        clock.advance(Duration.ofMinutes(1));
        s.tick(ran::add);
        assertThat(ran).hasSize(2);
        assertThat(ran.get(0).task()).isEqualTo(logs);
        assertThat(ran.get(0).slot()).isEqualTo(at("2025-06-09T02:00:00Z"));
        assertThat(ran.get(0).missed()).isEqualTo(4);
        assertThat(ran.get(0).trigger()).isEqualTo("catch-up");
        assertThat(ran.get(1).task()).isEqualTo(models);
        assertThat(ran.get(1).slot()).isEqualTo(at("2025-06-08T03:00:00Z"));
        assertThat(ran.get(1).missed()).isZero();
        assertThat(ran.get(1).late()).isTrue();
        assertThat(s.nextRun(logs)).hasValue(at("2025-06-10T02:00:00Z"));
        assertThat(s.nextRun(models)).hasValue(at("2025-06-15T03:00:00Z"));
    }

    @Test
    void aClockThatGoesBackDoesNotRunATaskAgain() {
        MaintenanceScheduler s = new MaintenanceScheduler(List.of(logs), clock, Map.of());
        List<MaintenanceScheduler.Due> ran = new ArrayList<>();
        clock.set(at("2025-06-05T02:00:30Z"));
        s.tick(ran::add);
        clock.set(at("2025-06-05T01:30:00Z")); // NTP steps the clock back
        s.tick(ran::add);
        clock.set(at("2025-06-05T02:00:40Z"));
        s.tick(ran::add);
        assertThat(ran).hasSize(1);
    }

    @Test
    void theDaemonLooksAtTheWallClockAtLeastEveryMinute() {
        MaintenanceScheduler s = new MaintenanceScheduler(List.of(logs, models), clock, Map.of());
        assertThat(s.nextWake()).isEqualTo(Trees.NOW.plus(MaintenanceScheduler.MAX_SLEEP));
        clock.set(at("2025-06-05T01:59:30Z"));
        assertThat(s.nextWake()).isEqualTo(at("2025-06-05T02:00:00Z"));
    }

    @Test
    void slotsMissedWhileNoDaemonRanAreCaughtUpOnceAtStart() {
        Map<String, Instant> fromStatus = Map.of("logs", at("2025-06-01T02:00:00Z"));
        MaintenanceScheduler s = new MaintenanceScheduler(List.of(logs, models), clock, fromStatus);
        List<MaintenanceScheduler.Due> due = s.due();
        assertThat(due).singleElement().satisfies(d -> {
            assertThat(d.task()).isEqualTo(logs);
            assertThat(d.slot()).isEqualTo(at("2025-06-04T02:00:00Z"));
            assertThat(d.missed()).isEqualTo(2);
        });
    }

    @Test
    void tasksWithoutAScheduleAreNotScheduled() {
        MaintenanceTask manual = new RetentionTask("scratch", List.of(logsFolder), "*", AgeLimit.parse("1d"), null, null,
                0, null);
        assertThat(new MaintenanceScheduler(List.of(manual, logs), clock, Map.of()).tasks()).containsExactly(logs);
    }

    @Test
    void theDaemonRunsDueTasksRecordsThemAndSchedulesItsNextLook() throws IOException {
        Trees.file(logsFolder.resolve("old.log"), 10, 40);
        Path state = tmp.resolve("state");
        StatusStore store = new StatusStore(state);
        RunLog log = new RunLog(state);
        StringWriter said = new StringWriter();
        MaintenanceRuns runs = new MaintenanceRuns(new TaskRunner(new PathGuard(List.of(Path.of("/no-home"))), clock,
                FileCopier.hashing()), log, store, clock, new PrintWriter(said));
        MaintenanceScheduler scheduler = new MaintenanceScheduler(List.of(logs, models), clock, Map.of());
        SteppingScheduler executor = new SteppingScheduler();
        List<String> lines = new ArrayList<>();
        MaintenanceDaemon daemon = new MaintenanceDaemon(scheduler, runs, executor, clock, RunListener.none(), lines::add);

        daemon.start();
        MaintenanceStatus started = store.read();
        assertThat(started.daemon().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(started.tasks().get("logs").nextRun()).isEqualTo("2025-06-05T02:00:00Z");
        assertThat(started.tasks().get("logs").lastSlot()).isEqualTo(Trees.NOW.toString());
        assertThat(executor.runNext()).isZero();              // the first look, at once: nothing due
        assertThat(executor.pending()).singleElement().satisfies(p -> assertThat(p.delayMillis()).isEqualTo(60_000));

        clock.set(at("2025-06-05T02:00:05Z"));
        executor.runNext();
        assertThat(logsFolder.resolve("old.log")).doesNotExist();
        MaintenanceStatus status = store.read();
        MaintenanceStatus.TaskState state1 = status.tasks().get("logs");
        assertThat(state1.lastRun().trigger()).isEqualTo("schedule");
        assertThat(state1.lastRun().outcome()).isEqualTo(Outcome.OK);
        assertThat(state1.lastSlot()).isEqualTo("2025-06-05T02:00:00Z");
        assertThat(state1.nextRun()).isEqualTo("2025-06-06T02:00:00Z");
        assertThat(state1.lastSuccess()).isEqualTo("2025-06-05T02:00:05Z");
        assertThat(status.tasks().get("models").lastRun()).isNull();
        assertThat(status.daemon().heartbeat()).isEqualTo("2025-06-05T02:00:05Z");
        assertThat(lines).anyMatch(l -> l.startsWith("logs: schedule run for 2025-06-05T02:00:00Z"));

        List<JsonNode> logLines = new ArrayList<>();
        for (String line : Files.readAllLines(log.file())) {
            logLines.add(new ObjectMapper().readTree(line));
        }
        assertThat(logLines).extracting(n -> n.get("action").asText())
                .containsExactly("run_started", "deleted", "run_finished");
        assertThat(logLines.get(1).get("path").asText()).isEqualTo(logsFolder.resolve("old.log").toString());

        daemon.stop();
        executor.runNext();
        assertThat(executor.pending()).isEmpty();
        daemon.recordStop();
        assertThat(store.read().daemon().stopped()).isNotNull();
        assertThat(said.toString()).isEmpty();
    }

    @Test
    void aRunByHandIsRecordedWithoutASlotAndADryRunNotAtAll() throws IOException {
        Path state = tmp.resolve("state");
        StatusStore store = new StatusStore(state);
        MaintenanceRuns runs = new MaintenanceRuns(new TaskRunner(new PathGuard(List.of(Path.of("/no-home"))), clock,
                FileCopier.hashing()), new RunLog(state), store, clock, new PrintWriter(new StringWriter()));
        runs.runNow(logs, true, RunListener.none());
        assertThat(state).doesNotExist();
        runs.runNow(logs, false, RunListener.none());
        MaintenanceStatus.TaskState s = store.read().tasks().get("logs");
        assertThat(s.lastRun().trigger()).isEqualTo("manual");
        assertThat(s.lastSlot()).isNull();
        assertThat(s.nextRun()).isEqualTo("2025-06-05T02:00:00Z");
    }

    @Test
    void aStopInterruptsABackupBetweenFilesAndItsRunIsStillRecorded() throws IOException {
        Path models = tmp.resolve("models");
        Trees.file(models.resolve("second.bin"), 100, 1);
        Path state = tmp.resolve("state");
        StatusStore store = new StatusStore(state);
        FileCopier stopping = (source, target) -> {
            Thread.currentThread().interrupt(); // the daemon's stop arrives during the first copy
            return FileCopier.hashing().copy(source, target);
        };
        MaintenanceRuns runs = new MaintenanceRuns(new TaskRunner(new PathGuard(List.of(Path.of("/no-home"))), clock,
                stopping), new RunLog(state), store, clock, new PrintWriter(new StringWriter()));
        TaskReport report;
        try {
            report = runs.runNow(this.models, false, RunListener.none());
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(report.error()).contains("stopped before the end");
        assertThat(BackupCatalog.list(tmp.resolve("backups"), "models")).isEmpty();
        assertThat(BackupCatalog.partials(tmp.resolve("backups"), "models")).isEmpty();
        assertThat(store.read().tasks().get("models").lastRun().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(Files.readString(state.resolve(RunLog.FILE))).contains("run_finished", "failed");
    }

    @Test
    void aDamagedStatusFileIsReportedAndReplacedByTheNextRun() throws IOException {
        Path state = Files.createDirectories(tmp.resolve("state"));
        StatusStore store = new StatusStore(state);
        Files.writeString(store.file(), "{ half a file");
        org.assertj.core.api.Assertions.assertThatThrownBy(store::read).hasMessageContaining("is damaged");
        MaintenanceRuns runs = new MaintenanceRuns(new TaskRunner(new PathGuard(List.of(Path.of("/no-home"))), clock,
                FileCopier.hashing()), new RunLog(state), store, clock, new PrintWriter(new StringWriter()));
        runs.runNow(logs, false, RunListener.none());
        assertThat(store.read().tasks().get("logs").lastRun().outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void theRunLogStartsAFreshFileWhenItIsFull() throws IOException {
        RunLog log = new RunLog(tmp, 200);
        for (int i = 0; i < 10; i++) {
            log.started(Trees.NOW.toString(), "logs", "manual", null);
        }
        assertThat(Files.size(log.file())).isLessThanOrEqualTo(200 + 100);
        assertThat(tmp.resolve(RunLog.FILE + ".1")).exists();
        assertThat(log.lastError()).isNull();
    }
}
