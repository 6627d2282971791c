package io.dlstation.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.AgeLimit;
import io.dlstation.maintain.task.ByteSize;
import io.dlstation.maintain.task.RetentionTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by age, count and total size on a generated tree with fixed modification times. */
class RetentionTest {
    @TempDir
    Path tmp;

    private Path logs;
    private final Clock clock = Clock.fixed(Trees.NOW, ZoneOffset.UTC);
    private final PathGuard guard = new PathGuard(List.of(Path.of("/nonexistent-home")));
    private final TaskRunner runner = new TaskRunner(guard, clock, FileCopier.hashing());

    @BeforeEach
    void tree() throws IOException {
        logs = Files.createDirectories(tmp.resolve("logs"));
        Trees.file(logs.resolve("a.log"), 100, 1);
        Trees.file(logs.resolve("b.log"), 100, 10);
        Trees.file(logs.resolve("c.log"), 100, 31);
        Trees.file(logs.resolve("d.log"), 10, 45);
        Trees.file(logs.resolve("sub/e.log"), 10, 60);
        Trees.file(logs.resolve("notes.txt"), 100, 90);
    }

    private RetentionTask task(AgeLimit age, Integer count, ByteSize size, int keep) {
        return task("*.log", age, count, size, keep);
    }

    private RetentionTask task(String glob, AgeLimit age, Integer count, ByteSize size, int keep) {
        return new RetentionTask("logs", List.of(logs), glob, age, count, size, keep, null);
    }

    private List<String> planned(RetentionTask task) {
        return new RetentionPlanner(guard, clock).plan(task).deletions().stream()
                .map(d -> logs.relativize(d.path()).toString()).toList();
    }

    @Test
    void ageDeletesWhatIsOlderThanTheLimitAndNothingElse() throws IOException {
        TaskReport report = runner.run(task(AgeLimit.parse("30d"), null, null, 0), false, RunListener.none());
        assertThat(report.outcome()).isEqualTo(Outcome.OK);
        assertThat(Trees.contents(logs).keySet()).containsExactly("a.log", "b.log", "notes.txt");
        assertThat(report.events()).filteredOn(e -> e.action().equals(RunEvent.DELETED))
                .extracting(RunEvent::path)
                .containsExactly(logs.resolve("c.log").toString(), logs.resolve("d.log").toString(),
                        logs.resolve("sub/e.log").toString());
        assertThat(report.events().get(0).detail()).isEqualTo("older than 30d (31d)");
        assertThat(report.summary()).startsWith("deleted 3 of 5 matching files (120 B), kept 2 (200 B)");
    }

    @Test
    void aFileExactlyAtTheLimitStays() throws IOException {
        Files.setLastModifiedTime(logs.resolve("c.log"), FileTime.from(Trees.NOW.minus(Duration.ofDays(30))));
        assertThat(planned(task(AgeLimit.parse("30d"), null, null, 0))).containsExactly("d.log", "sub/e.log");
    }

    @Test
    void keepNewestProtectsTheNewestWhateverTheirAge() {
        assertThat(planned(task(AgeLimit.parse("1h"), null, null, 4))).containsExactly("sub/e.log");
        assertThat(planned(task(AgeLimit.parse("0d"), null, null, 5))).isEmpty();
    }

    @Test
    void countKeepsTheNewestN() {
        assertThat(planned(task(null, 2, null, 0))).containsExactly("c.log", "d.log", "sub/e.log");
        assertThat(planned(task(null, 5, null, 0))).isEmpty();
    }

    @Test
    void sizeDeletesTheOldestUntilTheRestFit() {
        // newest first: a 100, b 100 (200), c 100 would make 300 > 250: c and everything older go,
        // even d and e, which would fit on their own: the limit cuts the age order once
        assertThat(planned(task(null, null, new ByteSize(250), 0))).containsExactly("c.log", "d.log", "sub/e.log");
        assertThat(planned(task(null, null, new ByteSize(320), 0))).isEmpty();
        assertThat(planned(task(null, null, new ByteSize(50), 3))).containsExactly("d.log", "sub/e.log");
    }

    @Test
    void theLimitsCombineAndEachDeletionSaysWhy() {
        RetentionPlan plan = new RetentionPlanner(guard, clock).plan(task(AgeLimit.parse("50d"), 3, null, 0));
        assertThat(plan.deletions()).extracting(RetentionPlan.Deletion::reason)
                .containsExactly("beyond the newest 3 files", "older than 50d (60d)");
        assertThat(plan.kept()).isEqualTo(3);
        assertThat(plan.matched()).isEqualTo(5);
    }

    @Test
    void aGlobWithASlashMatchesThePathUnderTheFolder() {
        assertThat(planned(task("sub/*.log", AgeLimit.parse("1d"), null, null, 0))).containsExactly("sub/e.log");
        assertThat(planned(task("*", AgeLimit.parse("80d"), null, null, 0))).containsExactly("notes.txt");
    }

    @Test
    void aDryRunListsExactlyWhatWouldGoAndChangesNothing() throws IOException {
        Map<String, String> before = Trees.snapshot(tmp);
        TaskReport report = runner.run(task(AgeLimit.parse("30d"), null, null, 0), true, RunListener.none());
        assertThat(Trees.snapshot(tmp)).isEqualTo(before);
        assertThat(report.dryRun()).isTrue();
        assertThat(report.events()).allMatch(RunEvent::hypothetical)
                .extracting(RunEvent::path)
                .containsExactly(logs.resolve("c.log").toString(), logs.resolve("d.log").toString(),
                        logs.resolve("sub/e.log").toString());
        assertThat(report.summary()).startsWith("would delete 3 of 5 matching files (120 B)");
    }

    @Test
    void aMissingFolderIsReportedAndTheOthersAreStillCleaned() throws IOException {
        Path missing = tmp.resolve("not-mounted");
        RetentionTask task = new RetentionTask("logs", List.of(missing, logs), "*.log", AgeLimit.parse("30d"), null,
                null, 0, null);
        TaskReport report = runner.run(task, false, RunListener.none());
        assertThat(report.outcome()).isEqualTo(Outcome.WARNING);
        assertThat(report.warnings()).containsExactly("folder " + missing + " does not exist; skipped");
        assertThat(Trees.contents(logs).keySet()).containsExactly("a.log", "b.log", "notes.txt");
    }

    @Test
    void aFileRewrittenAfterTheListingIsLeftForTheNextRun() throws IOException {
        RetentionPlan plan = new RetentionPlanner(guard, clock).plan(task(AgeLimit.parse("30d"), null, null, 0));
        Files.setLastModifiedTime(logs.resolve("c.log"), FileTime.from(Trees.NOW));
        List<RunEvent> events = new java.util.ArrayList<>();
        RetentionCleaner.Result r = new RetentionCleaner(guard, clock).apply(plan, events::add);
        assertThat(r.deleted()).isEqualTo(2);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(logs.resolve("c.log")).exists();
        assertThat(events).filteredOn(e -> e.action().equals(RunEvent.KEPT_CHANGED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("changed since it was listed"));
    }

    @Test
    void anInterruptStopsBetweenTwoFiles() {
        RetentionPlan plan = new RetentionPlanner(guard, clock).plan(task(AgeLimit.parse("30d"), null, null, 0));
        Thread.currentThread().interrupt();
        try {
            RetentionCleaner.Result r = new RetentionCleaner(guard, clock).apply(plan, RunListener.none());
            assertThat(r.interrupted()).isTrue();
            assertThat(r.deleted()).isZero();
        } finally {
            Thread.interrupted();
        }
        assertThat(logs.resolve("c.log")).exists();
    }
}
