package io.dlstation.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.AgeLimit;
import io.dlstation.maintain.task.RetentionTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing outside a task's folders is ever deleted: links, '..', protected roots, folders swapped mid-run. */
class PathSafetyTest {
    @TempDir
    Path tmp;

    private Path home;
    private Path logs;
    private Path outside;
    private PathGuard guard;
    private final Clock clock = Clock.fixed(Trees.NOW, ZoneOffset.UTC);

    @BeforeEach
    void tree() throws IOException {
        home = Files.createDirectories(tmp.resolve("home/alice"));
        guard = new PathGuard(List.of(home));
        logs = Files.createDirectories(tmp.resolve("logs"));
        outside = Files.createDirectories(tmp.resolve("precious"));
        Trees.file(outside.resolve("model.log"), 64, 400);
        Trees.file(outside.resolve("deep/weights.log"), 64, 400);
        Trees.file(logs.resolve("old.log"), 10, 100);
    }

    private RetentionTask everythingOld(Path folder) {
        return new RetentionTask("logs", List.of(folder), "*", AgeLimit.parse("1d"), null, null, 0, null);
    }

    @Test
    void linksInsideTheFolderAreNeitherFollowedNorDeleted() throws IOException {
        Files.createSymbolicLink(logs.resolve("escape"), outside);          // a link to a folder outside
        Files.createSymbolicLink(logs.resolve("latest.log"), outside.resolve("model.log")); // a link to a file outside
        Files.createSymbolicLink(logs.resolve("dangling.log"), tmp.resolve("nothing"));
        Map<String, String> precious = Trees.snapshot(outside);

        TaskReport report = new TaskRunner(guard, clock, FileCopier.hashing()).run(everythingOld(logs), false,
                RunListener.none());

        assertThat(report.outcome()).isEqualTo(Outcome.OK);
        assertThat(report.summary()).contains("3 symbolic link(s) left alone");
        assertThat(Trees.snapshot(outside)).isEqualTo(precious);
        assertThat(logs.resolve("old.log")).doesNotExist();
        assertThat(Files.isSymbolicLink(logs.resolve("escape"))).isTrue();
        assertThat(Files.isSymbolicLink(logs.resolve("latest.log"))).isTrue();
        assertThat(Files.isSymbolicLink(logs.resolve("dangling.log"))).isTrue();
    }

    @Test
    void aFolderSwappedForALinkAfterTheListingIsRefusedAtDeleteTime() throws IOException {
        Path sub = logs.resolve("sub");
        Trees.file(sub.resolve("model.log"), 64, 400);
        RetentionPlan plan = new RetentionPlanner(guard, clock).plan(everythingOld(logs));
        assertThat(plan.deletions()).extracting(RetentionPlan.Deletion::path).contains(sub.resolve("model.log"));

        // between the listing and the delete, sub/ becomes a link to the precious folder (which has a model.log)
        Files.delete(sub.resolve("model.log"));
        Files.delete(sub);
        Files.createSymbolicLink(sub, outside);
        Map<String, String> precious = Trees.snapshot(outside);
        List<RunEvent> events = new ArrayList<>();
        RetentionCleaner.Result r = new RetentionCleaner(guard, clock).apply(plan, events::add);

        assertThat(r.refused()).isEqualTo(1);
        assertThat(Trees.snapshot(outside)).isEqualTo(precious);
        assertThat(events).filteredOn(e -> e.action().equals(RunEvent.REFUSED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("outside").contains("symbolic link"));
    }

    @Test
    void aRootGivenThroughALinkIsCleanedAtItsRealPlaceOnly() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("logs-link"), logs);
        TaskReport report = new TaskRunner(guard, clock, FileCopier.hashing()).run(everythingOld(link), false,
                RunListener.none());
        assertThat(report.outcome()).isEqualTo(Outcome.OK);
        assertThat(logs.resolve("old.log")).doesNotExist();
        assertThat(outside.resolve("model.log")).exists();
    }

    @Test
    void theGuardRefusesEveryPathThatIsNotPlainlyInsideItsRoot() throws IOException {
        Path root = logs.toRealPath();
        Files.createSymbolicLink(logs.resolve("file-link"), outside.resolve("model.log"));
        assertThat(guard.whyNotDeletable(root, root.resolve("old.log"), false)).isEmpty();
        assertThat(guard.whyNotDeletable(root, root.resolve("../precious/model.log"), false)).isPresent();
        assertThat(guard.whyNotDeletable(root, outside.resolve("model.log").toRealPath(), false))
                .hasValueSatisfying(why -> assertThat(why).contains("outside"));
        assertThat(guard.whyNotDeletable(root, root, false)).isPresent();
        assertThat(guard.whyNotDeletable(root, root.resolve("file-link"), false)).hasValue("a symbolic link");
        assertThat(guard.whyNotDeletable(root, Path.of("old.log"), false)).isPresent();
    }

    @Test
    void theHomeFolderAndTheFoldersAboveItAreNeverRoots() {
        for (Path p : List.of(home, home.getParent(), tmp)) {
            assertThatThrownBy(() -> guard.deletionRoot("task 'x': folders", p))
                    .isInstanceOf(DlstationException.class)
                    .hasMessageContaining("task 'x': folders")
                    .hasMessageContaining("home folder");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/etc", "/usr", "/var", "/tmp"})
    void fileSystemAndSystemRootsAreNeverRoots(String root) {
        assertThatThrownBy(() -> guard.deletionRoot("task 'x': folders", Path.of(root)))
                .isInstanceOf(DlstationException.class)
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining("'" + root + "' is a");
    }

    @Test
    void dotDotAndRelativeRootsAreRefused() {
        assertThatThrownBy(() -> guard.deletionRoot("folders", logs.resolve("../precious")))
                .hasMessageContaining("holds '..'");
        assertThatThrownBy(() -> guard.deletionRoot("folders", Path.of("logs")))
                .hasMessageContaining("is relative");
    }

    @Test
    void aHomeReachedThroughALinkIsStillProtected() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("home-link"), home);
        assertThatThrownBy(() -> guard.deletionRoot("folders", link)).hasMessageContaining("home folder");
    }
}
