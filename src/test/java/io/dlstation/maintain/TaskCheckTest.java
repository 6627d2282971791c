package io.dlstation.maintain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.AgeLimit;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.maintain.task.RetentionTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad task sets are refused before anything runs, naming the task, the field and the reason. */
class TaskCheckTest {
    @TempDir
    Path tmp;

    private Path data;
    private final TaskCheck check = new TaskCheck(new PathGuard(List.of(Path.of("/nonexistent-home"))));

    @BeforeEach
    void folders() throws IOException {
        data = Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(data.resolve("logs/old"));
        Files.createDirectories(data.resolve("models"));
    }

    private RetentionTask retention(String name, AgeLimit age, Path... folders) {
        return new RetentionTask(name, List.of(folders), "*.log", age, null, null, 0, null);
    }

    private BackupTask backup(String name, Path destination, Path... sources) {
        return new BackupTask(name, List.of(sources), destination, null, null, true, null);
    }

    @Test
    void aSoundSetPasses() {
        assertThatCode(() -> check.check(List.of(retention("logs", AgeLimit.parse("30d"), data.resolve("logs")),
                backup("models", tmp.resolve("backups"), data.resolve("models"))), false)).doesNotThrowAnyException();
    }

    @Test
    void zeroDaysNeedsForce() {
        RetentionTask zero = retention("logs", AgeLimit.parse("0d"), data.resolve("logs"));
        assertThatThrownBy(() -> check.check(List.of(zero), false))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("task 'logs': max_age 0d deletes every matching file")
                .hasMessageContaining("--force");
        assertThatCode(() -> check.check(List.of(zero), true)).doesNotThrowAnyException();
    }

    @Test
    void aDestinationInsideASourceIsRefused() {
        assertThatThrownBy(() -> check.check(List.of(backup("models", data.resolve("models/backups"),
                data.resolve("models"))), false))
                .hasMessageContaining("task 'models': destination " + data.resolve("models/backups")
                        + " is inside the source " + data.resolve("models"));
        assertThatThrownBy(() -> check.check(List.of(backup("all", tmp, data.resolve("models"))), false))
                .hasMessageContaining("task 'all': destination " + tmp + " holds the source");
    }

    @Test
    void aDestinationReachedThroughALinkIntoTheSourceIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("backups"), data.resolve("models"));
        assertThatThrownBy(() -> check.check(List.of(backup("models", link.resolve("weekly"), data.resolve("models"))),
                false)).hasMessageContaining("is inside the source");
    }

    @Test
    void overlappingRootsAreRefused() {
        assertThatThrownBy(() -> check.check(List.of(retention("logs", AgeLimit.parse("30d"), data.resolve("logs"),
                data.resolve("logs/old"))), false))
                .hasMessageContaining("task 'logs': folders: " + data.resolve("logs") + " and " + data.resolve("logs/old")
                        + " overlap");
        assertThatThrownBy(() -> check.check(List.of(backup("b", tmp.resolve("backups"), data.resolve("models"),
                data)), false))
                .hasMessageContaining("task 'b': sources:");
    }

    @Test
    void aRetentionOverABackupDestinationIsRefused() {
        assertThatThrownBy(() -> check.check(List.of(retention("sweep", AgeLimit.parse("7d"), tmp),
                backup("models", tmp.resolve("backups"), data.resolve("models"))), false))
                .hasMessageContaining("task 'sweep': folders: " + tmp + " overlaps the backup destination")
                .hasMessageContaining("of task 'models'");
    }

    @Test
    void twoTasksWritingTheSameBackupNameToOneDestinationAreRefused() {
        BackupTask a = new BackupTask("a", List.of(data.resolve("models")), tmp.resolve("b"), "weights", 2, true, null);
        BackupTask b = new BackupTask("b", List.of(data.resolve("logs")), tmp.resolve("b"), "weights", 2, true, null);
        assertThatThrownBy(() -> check.check(List.of(a, b), false))
                .hasMessageContaining("task 'b': name: backups named 'weights'")
                .hasMessageContaining("task 'a'");
    }

    @Test
    void sourcesWithTheSameNameAreRefused() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other/models"));
        assertThatThrownBy(() -> check.check(List.of(backup("m", tmp.resolve("b"), data.resolve("models"), other)),
                false)).hasMessageContaining("have the same name 'models'");
    }

    @Test
    void aProtectedRootIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> check.check(List.of(retention("all", AgeLimit.parse("30d"), Path.of("/etc"))), false))
                .hasMessageContaining("task 'all': folders '/etc' is a system folder");
    }
}
