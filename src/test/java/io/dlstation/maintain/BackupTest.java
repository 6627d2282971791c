package io.dlstation.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.error.DlstationException;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.time.ManualClock;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups: layout and manifest, never a complete-looking folder from an interrupted run, pruning, restore. */
class BackupTest {
    @TempDir
    Path tmp;

    private Path models;
    private Path dest;
    private final ManualClock clock = new ManualClock(Trees.NOW, ZoneOffset.UTC);
    private final PathGuard guard = new PathGuard(List.of(Path.of("/nonexistent-home")));

    @BeforeEach
    void tree() throws IOException {
        models = Files.createDirectories(tmp.resolve("models"));
        Trees.file(models.resolve("resnet50.safetensors"), 300_000, 3);
        Trees.file(models.resolve("bert/config.json"), 700, 20);
        Trees.file(models.resolve("bert/model.safetensors"), 2_500_000, 20);
        Trees.file(models.resolve("bert/vocab.txt"), 0, 20);
        dest = tmp.resolve("backups");
    }

    private BackupTask task(Integer keep) {
        return new BackupTask("models", List.of(models), dest, null, keep, true, null);
    }

    private BackupWriter.BackupResult backup(BackupTask task, FileCopier copier) throws IOException {
        BackupWriter writer = new BackupWriter(guard, clock, copier);
        return writer.write(writer.plan(task), RunListener.none());
    }

    /** What a crash would leave for a reader: folders that look like complete backups. */
    private List<Path> completeLooking() throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dest)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dest)) {
            for (Path e : entries) {
                if (Files.isDirectory(e) && !e.getFileName().toString().startsWith(".")) {
                    found.add(e);
                }
                if (Files.exists(e.resolve(BackupManifest.FILE))) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    @Test
    void aBackupIsATimestampedFolderWithAManifestOfEveryFileAndItsHash() throws IOException {
        BackupWriter.BackupResult r = backup(task(null), FileCopier.hashing());
        assertThat(r.folder()).isEqualTo(dest.toRealPath().resolve("models-20250604T120000Z"));
        assertThat(r.files()).isEqualTo(4);
        assertThat(r.verified()).isTrue();
        assertThat(Trees.contents(r.folder().resolve("data/models"))).isEqualTo(Trees.contents(models));

        JsonNode m = new ObjectMapper().readTree(r.folder().resolve("manifest.json").toFile());
        assertThat(m.get("format").asText()).isEqualTo("dlstation-backup");
        assertThat(m.get("schema").asInt()).isEqualTo(1);
        assertThat(m.get("created").asText()).isEqualTo("2025-06-04T12:00:00Z");
        assertThat(m.at("/sources/0/label").asText()).isEqualTo("models");
        assertThat(m.at("/sources/0/path").asText()).isEqualTo(models.toString());
        assertThat(m.get("file_count").asInt()).isEqualTo(4);
        assertThat(m.get("total_bytes").asLong()).isEqualTo(300_000 + 700 + 2_500_000);
        JsonNode first = m.get("files").get(0);
        assertThat(first.get("path").asText()).isEqualTo("data/models/bert/config.json");
        assertThat(first.get("sha256").asText()).isEqualTo(Durable.sha256(models.resolve("bert/config.json")));
        assertThat(first.get("modified").asText()).isEqualTo(Trees.NOW.minus(Duration.ofDays(20)).toString());
        assertThat(BackupVerifier.verify(r.folder()).ok()).isTrue();
    }

    @Test
    void aBackupKilledMidCopyLeavesNoFolderThatLooksComplete() throws IOException {
        AtomicInteger copies = new AtomicInteger();
        List<List<Path>> seenDuringCopy = new ArrayList<>();
        FileCopier crashing = (source, target) -> {
            if (copies.incrementAndGet() == 3) {
                // the state a SIGKILL here would leave behind, before any clean-up could run
                seenDuringCopy.add(completeLooking());
                Files.write(target, new byte[] {1, 2, 3}); // half a file
                throw new IOException("No space left on device");
            }
            return FileCopier.hashing().copy(source, target);
        };
        assertThatThrownBy(() -> backup(task(null), crashing)).hasMessageContaining("No space left on device");

        assertThat(seenDuringCopy).singleElement().satisfies(seen -> assertThat(seen).isEmpty());
        assertThat(completeLooking()).isEmpty();
        assertThat(BackupCatalog.list(dest, "models")).isEmpty();
        assertThat(BackupCatalog.partials(dest, "models")).isEmpty(); // cleaned up after the failure
    }

    @Test
    void aCrashLeftoverIsNeverListedNorRestorableAndTheNextRunRemovesIt() throws IOException {
        Files.createDirectories(dest);
        Path leftover = dest.resolve(".models-20250601T030000Z.partial");
        Trees.file(leftover.resolve("data/models/resnet50.safetensors"), 1000, 1);
        assertThat(BackupCatalog.list(dest, "models")).isEmpty();
        assertThatThrownBy(() -> new BackupRestorer(FileCopier.hashing()).restore(leftover, tmp.resolve("r"), false))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("not a complete backup");

        List<RunEvent> events = new ArrayList<>();
        BackupWriter writer = new BackupWriter(guard, clock, FileCopier.hashing());
        writer.write(writer.plan(task(null)), events::add);
        assertThat(leftover).doesNotExist();
        assertThat(events).extracting(RunEvent::action).contains(RunEvent.PARTIAL_REMOVED, RunEvent.BACKUP_CREATED);
        assertThat(BackupCatalog.list(dest, "models")).hasSize(1);
    }

    @Test
    void verificationCatchesACopyThatDoesNotMatchWhatWasRead() throws IOException {
        FileCopier lying = (source, target) -> {
            FileCopier.Copied c = FileCopier.hashing().copy(source, target);
            if (target.getFileName().toString().equals("model.safetensors")) {
                Files.write(target, new byte[] {42}, StandardOpenOption.APPEND); // the disk wrote something else
            }
            return c;
        };
        assertThatThrownBy(() -> backup(task(null), lying))
                .hasMessageContaining("do not match")
                .hasMessageContaining("data/models/bert/model.safetensors");
        assertThat(completeLooking()).isEmpty();
    }

    @Test
    void keepPrunesTheOldestCompleteBackupsOnlyAfterTheNewOneIsInPlace() throws IOException {
        List<Path> made = new ArrayList<>();
        for (int week = 0; week < 4; week++) {
            clock.set(Trees.NOW.plus(Duration.ofDays(7L * week)));
            made.add(backup(task(2), FileCopier.hashing()).folder());
        }
        assertThat(BackupCatalog.list(dest, "models")).extracting(BackupCatalog.BackupInfo::folder)
                .containsExactly(made.get(3), made.get(2));
        assertThat(made.get(0)).doesNotExist();
        assertThat(made.get(1)).doesNotExist();

        // a failed run prunes nothing
        clock.set(Trees.NOW.plus(Duration.ofDays(35)));
        FileCopier failing = (s, t) -> {
            throw new IOException("disk error");
        };
        assertThatThrownBy(() -> backup(task(1), failing)).hasMessageContaining("disk error");
        assertThat(BackupCatalog.list(dest, "models")).hasSize(2);
    }

    @Test
    void theBackupJustMadeIsNeverPrunedEvenWhenTheClockWentBack() throws IOException {
        clock.set(Trees.NOW.plus(Duration.ofDays(7)));
        Path later = backup(task(1), FileCopier.hashing()).folder();
        clock.set(Trees.NOW);
        Path made = backup(task(1), FileCopier.hashing()).folder();
        assertThat(made).isDirectory();
        assertThat(later).isDirectory();
    }

    @Test
    void pruningLeavesOtherNamesAndForeignFoldersAlone() throws IOException {
        Files.createDirectories(dest.resolve("models-20200101T000000Z")); // looks like ours but has no manifest
        Files.createDirectories(dest.resolve("other-20200101T000000Z"));
        Trees.file(dest.resolve("notes.txt"), 10, 1000);
        backup(task(1), FileCopier.hashing());
        clock.set(Trees.NOW.plus(Duration.ofDays(7)));
        backup(task(1), FileCopier.hashing());
        assertThat(dest.resolve("models-20200101T000000Z")).isDirectory();
        assertThat(dest.resolve("other-20200101T000000Z")).isDirectory();
        assertThat(dest.resolve("notes.txt")).exists();
        assertThat(BackupCatalog.list(dest, "models")).hasSize(1);
    }

    @Test
    void restoreRoundTripEqualsTheSourceByteForByte() throws IOException {
        BackupWriter.BackupResult r = backup(task(null), FileCopier.hashing());
        Path target = tmp.resolve("restored");
        BackupRestorer.RestoreResult restored = new BackupRestorer(FileCopier.hashing()).restore(r.folder(), target, false);
        assertThat(restored.files()).isEqualTo(4);
        assertThat(Trees.contents(target)).isEqualTo(Trees.contents(models));
        assertThat(Trees.snapshot(target)).isEqualTo(Trees.snapshot(models)); // times kept too
        for (String f : List.of("resnet50.safetensors", "bert/model.safetensors", "bert/vocab.txt")) {
            assertThat(Files.readAllBytes(target.resolve(f))).isEqualTo(Files.readAllBytes(models.resolve(f)));
        }
        assertThat(tmp.resolve(".restored.restore-partial")).doesNotExist();
    }

    @Test
    void severalSourcesRestoreUnderTheirLabels() throws IOException {
        Path logs = Files.createDirectories(tmp.resolve("configs"));
        Trees.file(logs.resolve("train.yaml"), 50, 1);
        BackupTask task = new BackupTask("all", List.of(models, logs), dest, null, null, true, null);
        BackupWriter.BackupResult r = backup(task, FileCopier.hashing());
        Path target = tmp.resolve("restored");
        new BackupRestorer(FileCopier.hashing()).restore(r.folder(), target, false);
        assertThat(Trees.contents(target.resolve("models"))).isEqualTo(Trees.contents(models));
        assertThat(Trees.contents(target.resolve("configs"))).isEqualTo(Trees.contents(logs));
    }

    @Test
    void restoreRefusesADamagedBackupAndWritesNothing() throws IOException {
        BackupWriter.BackupResult r = backup(task(null), FileCopier.hashing());
        Files.write(r.folder().resolve("data/models/bert/config.json"), "{}".getBytes());
        BackupVerifier.Verification v = BackupVerifier.verify(r.folder());
        assertThat(v.ok()).isFalse();
        assertThat(v.problems()).singleElement().asString().contains("data/models/bert/config.json");
        Path target = tmp.resolve("restored");
        assertThatThrownBy(() -> new BackupRestorer(FileCopier.hashing()).restore(r.folder(), target, false))
                .hasMessageContaining("damaged");
        assertThat(target).doesNotExist();
        assertThat(tmp.resolve(".restored.restore-partial")).doesNotExist();
    }

    @Test
    void restoreNeverOverwritesAndNeverWritesOutsideItsTarget() throws IOException {
        BackupWriter.BackupResult r = backup(task(null), FileCopier.hashing());
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> new BackupRestorer(FileCopier.hashing()).restore(r.folder(), busy, false))
                .hasMessageContaining("is not empty");
        assertThat(busy.resolve("keep.txt")).hasContent("mine");

        Path manifest = r.folder().resolve(BackupManifest.FILE);
        Files.writeString(manifest, Files.readString(manifest).replace("data/models/bert/config.json",
                "data/models/../../../escaped.json"));
        assertThatThrownBy(() -> new BackupRestorer(FileCopier.hashing()).restore(r.folder(), tmp.resolve("t"), false))
                .hasMessageContaining("is damaged")
                .hasMessageContaining("not a plain path");
        assertThat(tmp.resolve("escaped.json")).doesNotExist();
    }

    @Test
    void aDryRunListsEveryFileAndPruneAndChangesNothing() throws IOException {
        backup(task(1), FileCopier.hashing());
        clock.set(Trees.NOW.plus(Duration.ofDays(7)));
        Map<String, String> before = Trees.snapshot(tmp);
        TaskReport report = new TaskRunner(guard, clock, FileCopier.hashing()).run(task(1), true, RunListener.none());
        assertThat(Trees.snapshot(tmp)).isEqualTo(before);
        assertThat(report.events()).filteredOn(e -> e.action().equals(RunEvent.WOULD_COPY)).hasSize(4);
        assertThat(report.events()).filteredOn(e -> e.action().equals(RunEvent.WOULD_PRUNE)).singleElement()
                .satisfies(e -> assertThat(e.path()).endsWith("models-20250604T120000Z"));
        assertThat(report.events()).filteredOn(e -> e.action().equals(RunEvent.WOULD_CREATE)).singleElement()
                .satisfies(e -> assertThat(e.path()).endsWith("models-20250611T120000Z"));

        Path missingDest = tmp.resolve("new-disk/backups");
        Map<String, String> again = Trees.snapshot(tmp);
        new TaskRunner(guard, clock, FileCopier.hashing()).run(
                new BackupTask("models", List.of(models), missingDest, null, null, true, null), true, RunListener.none());
        assertThat(Trees.snapshot(tmp)).isEqualTo(again);
    }

    @Test
    void aMissingSourceFailsTheTaskAndMakesNoBackup() {
        BackupTask task = new BackupTask("models", List.of(tmp.resolve("gone")), dest, null, 1, true, null);
        TaskReport report = new TaskRunner(guard, clock, FileCopier.hashing()).run(task, false, RunListener.none());
        assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(report.error()).contains("source " + tmp.resolve("gone") + " does not exist; no backup made");
        assertThat(dest).doesNotExist();
    }

    @Test
    void twoBackupsInOneSecondGetDistinctNames() throws IOException {
        Path first = backup(task(null), FileCopier.hashing()).folder();
        Path second = backup(task(null), FileCopier.hashing()).folder();
        assertThat(first.getFileName().toString()).isEqualTo("models-20250604T120000Z");
        assertThat(second.getFileName().toString()).isEqualTo("models-20250604T120000Z-2");
        assertThat(BackupCatalog.list(dest, "models")).hasSize(2);
    }
}
