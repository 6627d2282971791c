package io.dlstation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.engine.PyTorchInstallLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code dlstation maintain} end to end, on a fixed clock, without the engine. */
class MaintainCommandTest {
    private static final Instant NOW = Instant.parse("2025-06-04T12:00:00Z"); // a Wednesday

    @TempDir
    Path tmp;

    private Path logs;
    private Path models;


    private CliRun run(String... args) {
        CliContext context = new CliContext(Map.of("HOME", tmp.resolve("home").toString()), tmp,
                new PyTorchInstallLocator(), () -> {
                    throw new AssertionError("maintain must not open GPU telemetry");
                }, Clock.fixed(NOW, ZoneOffset.UTC));
        return CliRun.of(context, args);
    }

    private static void file(Path path, int bytes, int daysOld) throws IOException {
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[bytes]);
        Files.setLastModifiedTime(path, FileTime.from(NOW.minus(Duration.ofDays(daysOld))));
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                m.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + " " + Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    @BeforeEach
    void tree() throws IOException {
        logs = tmp.resolve("data/logs");
        file(logs.resolve("new.log"), 10, 1);
        file(logs.resolve("old.log"), 20, 40);
        file(logs.resolve("run1/older.log"), 30, 90);
        file(logs.resolve("keep.txt"), 10, 400);
        models = tmp.resolve("data/models");
        file(models.resolve("resnet50.safetensors"), 5000, 3);
        file(models.resolve("bert/model.safetensors"), 7000, 3);
        Files.createDirectories(tmp.resolve("home"));
    }

    private Path config() throws IOException {
        return Files.writeString(tmp.resolve("dlstation.yaml"), """
                maintenance:
                  state_dir: %s
                  retention:
                    logs:
                      folders: [%s]
                      glob: "*.log"
                      max_age: 30d
                  backup:
                    models:
                      sources: [%s]
                      destination: %s
                      keep: 2
                """.formatted(tmp.resolve("state"), logs, models, tmp.resolve("backups")));
    }

    @Test
    void cleanDryRunListsTheFilesAndChangesNothing() throws IOException {
        Map<String, String> before = snapshot(tmp);
        CliRun r = run("maintain", "clean", "data/logs", "--max-age", "30d", "--glob", "*.log", "--dry-run");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("would delete " + logs.resolve("old.log") + " (20 B): older than 30d (40d)",
                "would delete " + logs.resolve("run1/older.log"), "dry run, nothing changed");
        assertThat(r.out()).doesNotContain("new.log").doesNotContain("keep.txt");
        assertThat(snapshot(tmp)).isEqualTo(before);
    }

    @Test
    void cleanDeletesFileByFileAndLogsEachOne() throws IOException {
        CliRun r = run("maintain", "clean", logs.toString(), "--max-age", "30d", "--glob", "*.log", "--state-dir",
                tmp.resolve("state").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("deleted " + logs.resolve("old.log"), "deleted " + logs.resolve("run1/older.log"),
                "clean: ok: deleted 2 of 3 matching files (50 B)");
        assertThat(logs.resolve("old.log")).doesNotExist();
        assertThat(logs.resolve("new.log")).exists();
        assertThat(logs.resolve("keep.txt")).exists();
        assertThat(Files.readString(tmp.resolve("state/maintain.log")))
                .contains("\"action\":\"deleted\"", logs.resolve("old.log").toString());
    }

    @Test
    void cleanBySizeAndCountAsJson() throws IOException {
        CliRun r = run("maintain", "clean", logs.toString(), "--max-size", "25", "--keep", "1", "--json", "--dry-run");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("dry_run").asBoolean()).isTrue();
        JsonNode task = json.get("tasks").get(0);
        assertThat(task.get("outcome").asText()).isEqualTo("ok");
        assertThat(task.get("events")).extracting(e -> e.get("path").asText())
                .containsExactly(logs.resolve("old.log").toString(), logs.resolve("run1/older.log").toString(),
                        logs.resolve("keep.txt").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maintain clean data/logs | clean needs a limit",
        "maintain clean data/logs --max-age 0d | max_age 0d deletes every matching file",
        "maintain clean data/logs --max-age 30 | age '30' is not an age",
        "maintain clean data/logs --max-size 10X | size '10X' is not a size",
        "maintain clean data/logs --max-count 2 --keep 3 | keep_newest 3 > max_count 2",
        "maintain clean / --max-age 30d | '/' is a file system root",
        "maintain clean home --max-age 30d | is a home folder",
        "maintain backup data/models --to data/models/backups | is inside the source",
        "maintain backup data --to data/models/b | is inside the source",
        "maintain backup data/models --to backups --keep 0 | keep 0 < 1",
        "maintain run | no maintenance tasks are configured",
        "maintain clean data/logz --max-age 30d | DIR data/logz does not exist",
        "maintain backup data/modelz --to b | SRC data/modelz does not exist",
        "maintain restore nowhere --to r | is not a complete backup",
        "maintain | maintain needs a verb",
    })
    void badInputIsExitTwoAndTouchesNothing(String args, String message) throws IOException {
        Map<String, String> before = snapshot(tmp);
        CliRun r = run(args.split(" "));
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(snapshot(tmp)).isEqualTo(before);
    }

    @Test
    void aBadCronExpressionInTheConfigNamesTaskFieldAndLine() throws IOException {
        Files.writeString(tmp.resolve("dlstation.yaml"), "maintenance:\n  retention:\n    logs:\n      folders: ["
                + logs + "]\n      max_age: 30d\n      schedule: '0 2 * * 8'\n");
        CliRun r = run("maintain", "run");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("line", "maintenance.retention.logs", "schedule '0 2 * * 8'");
    }

    @Test
    void listShowsTheTasksAndTheirNextRuns() throws IOException {
        config();
        CliRun r = run("maintain", "list");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("logs (retention): in " + logs + " delete '*.log' older than 30d",
                "schedule '0 2 * * *'; next: Thu 2025-06-05 02:00, Fri 2025-06-06 02:00, Sat 2025-06-07 02:00",
                "models (backup): " + models + " -> " + tmp.resolve("backups") + "/models-TIMESTAMP, keeping the last 2",
                "schedule '0 3 * * 0'; next: Sun 2025-06-08 03:00");
        JsonNode json = new ObjectMapper().readTree(run("maintain", "list", "--json", "--count", "1").out());
        assertThat(json.at("/tasks/1/next_runs/0").asText()).isEqualTo("2025-06-08T03:00:00Z");
        assertThat(json.at("/tasks/1/keep").asInt()).isEqualTo(2);
    }

    @Test
    void runRunsTheConfiguredTasksAndStatusShowsThem() throws IOException {
        config();
        CliRun dry = run("maintain", "run", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would copy " + models.resolve("bert/model.safetensors"),
                "would create " + tmp.resolve("backups/models-20250604T120000Z"));
        assertThat(tmp.resolve("backups")).doesNotExist();
        assertThat(tmp.resolve("state")).doesNotExist();

        CliRun r = run("maintain", "run");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("logs: ok: deleted 2", "models: ok: backed up 2 files", "verified");
        Path backup = tmp.resolve("backups/models-20250604T120000Z");
        assertThat(backup.resolve("manifest.json")).exists();

        CliRun status = run("maintain", "status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("daemon: none has run", "logs (retention, schedule '0 2 * * *')",
                "last run: Wed 2025-06-04 12:00 (manual): ok: deleted 2", "next run: Thu 2025-06-05 02:00 (if the daemon runs)");
        assertThat(run("maintain", "status", "--check").exitCode()).isEqualTo(1); // no daemon
        JsonNode json = new ObjectMapper().readTree(run("maintain", "status", "--json").out());
        assertThat(json.at("/tasks/models/last_run/outcome").asText()).isEqualTo("ok");

        CliRun verify = run("maintain", "verify", backup.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains(": ok, 2 files (11.7 KiB) read and checked");

        CliRun restore = run("maintain", "restore", backup.toString(), "--to", "restored");
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(snapshot(tmp.resolve("restored"))).isEqualTo(snapshot(models));
    }

    @Test
    void runNamesOnlyConfiguredTasks() throws IOException {
        config();
        CliRun r = run("maintain", "run", "logz");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no task named 'logz'; configured: logs, models");
        CliRun one = run("maintain", "run", "logs");
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out()).contains("logs: ok").doesNotContain("models:");
    }

    @Test
    void aDamagedBackupFailsVerifyWithExitOne() throws IOException {
        CliRun made = run("maintain", "backup", models.toString(), "--to", "backups", "--name", "weights", "--state-dir",
                tmp.resolve("state").toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        Path backup = tmp.resolve("backups/weights-20250604T120000Z");
        Files.write(backup.resolve("data/models/resnet50.safetensors"), new byte[5000]);
        Files.write(backup.resolve("data/models/resnet50.safetensors"), new byte[] {1}, java.nio.file.StandardOpenOption.WRITE);
        CliRun verify = run("maintain", "verify", backup.toString());
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("DAMAGED", "data/models/resnet50.safetensors: SHA-256");
    }

    @Test
    void aFailedTaskIsExitOneAndTheOthersStillRun() throws IOException {
        config();
        Files.delete(models.resolve("resnet50.safetensors"));
        Files.delete(models.resolve("bert/model.safetensors"));
        Files.delete(models.resolve("bert"));
        Files.delete(models);
        CliRun r = run("maintain", "run");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("logs: ok: deleted 2");
        assertThat(r.err()).contains("task 'models' failed", "does not exist; no backup made");
    }

    @Test
    void theDaemonRefusesAConfigWithoutSchedules() throws IOException {
        Files.writeString(tmp.resolve("dlstation.yaml"), "maintenance:\n  retention:\n    logs:\n      folders: ["
                + logs + "]\n      max_age: 30d\n      schedule: manual\n");
        CliRun r = run("maintain", "daemon");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no maintenance task has a schedule");
    }
}
