package io.dlstation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.maintain.task.MaintenanceTask;
import io.dlstation.maintain.task.RetentionTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code maintenance:} section of dlstation.yaml. */
class MaintenanceConfigTest {
    @TempDir
    Path tmp;

    private Path write(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("dlstation.yaml"), yaml);
    }

    @Test
    void readsRetentionAndBackupTasksWithTheSeedsDefaults() throws IOException {
        Path file = write("""
                maintenance:
                  state_dir: /var/lib/dlstation
                  retention:
                    logs:
                      folders: [/data/logs, /data/runs]
                      glob: "*.log"
                      max_age: 30d
                      max_total_size: 10G
                      keep_newest: 5
                  backup:
                    models:
                      sources: [/data/models]
                      destination: /backup/models
                      keep: 4
                """);
        DlstationConfig config = ConfigLoader.read(file);
        assertThat(config.maintenance().stateDir()).isEqualTo(Path.of("/var/lib/dlstation"));
        List<MaintenanceTask> tasks = config.maintenance().tasks();
        assertThat(tasks).extracting(MaintenanceTask::name).containsExactly("logs", "models");
        RetentionTask logs = (RetentionTask) tasks.get(0);
        assertThat(logs.folders()).containsExactly(Path.of("/data/logs"), Path.of("/data/runs"));
        assertThat(logs.glob()).isEqualTo("*.log");
        assertThat(logs.maxAge().duration()).isEqualTo(Duration.ofDays(30));
        assertThat(logs.maxTotalSize().bytes()).isEqualTo(10L << 30);
        assertThat(logs.maxCount()).isNull();
        assertThat(logs.keepNewest()).isEqualTo(5);
        assertThat(logs.schedule().orElseThrow().expression()).isEqualTo("0 2 * * *");
        BackupTask models = (BackupTask) tasks.get(1);
        assertThat(models.sources()).containsExactly(Path.of("/data/models"));
        assertThat(models.destination()).isEqualTo(Path.of("/backup/models"));
        assertThat(models.prefix()).isEqualTo("models");
        assertThat(models.keep()).isEqualTo(4);
        assertThat(models.verify()).isTrue();
        assertThat(models.schedule().orElseThrow().expression()).isEqualTo("0 3 * * 0");
    }

    @Test
    void noSectionMeansNoTasksAndManualMeansNoSchedule() throws IOException {
        assertThat(ConfigLoader.read(write("engine:\n  device: cpu\n")).maintenance().tasks()).isEmpty();
        Path file = write("""
                maintenance:
                  retention:
                    scratch: {folders: [/scratch/tmp], max_count: 10, schedule: manual}
                """);
        assertThat(ConfigLoader.read(file).maintenance().tasks().get(0).schedule()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "logs: {folders: [/l], max_age: 30d, schedule: '0 25 * * *'} | line 3 | maintenance.retention.logs | schedule '0 25 * * *' is not a Unix cron expression",
        "logs: {folders: [/l], max_age: 30d, schedule: '0 2 * *'} | line 3 | maintenance.retention.logs | five fields",
        "logs: {folders: [/l], max_age: 30d, schedule: '0 2 30 2 *'} | line 3 | maintenance.retention.logs | never fires",
        "logs: {folders: [/l], max_age: 30 days} | line 3 | maintenance.retention.logs.max_age | age '30 days' is not an age",
        "logs: {folders: [/l], max_total_size: 10Q} | line 3 | maintenance.retention.logs.max_total_size | size '10Q' is not a size",
        "logs: {folders: [logs], max_age: 30d} | line 3 | maintenance.retention.logs | 'logs' is relative",
        "logs: {folders: [/data/../etc], max_age: 30d} | line 3 | maintenance.retention.logs | holds '..'",
        "logs: {folders: [/l]} | line 3 | maintenance.retention.logs | no limit; give max_age, max_count or max_total_size",
        "logs: {folders: [/l], max_count: 3, keep_newest: 5} | line 3 | maintenance.retention.logs | keep_newest 5 > max_count 3",
        "logs: {folders: [/l], max_age: 1d, glob: '*.{log'} | line 3 | maintenance.retention.logs | glob '*.{log' is not a glob",
        "logs: {max_age: 1d} | line 3 | maintenance.retention.logs | folders is missing",
        "logs: {folders: [/l], max_age: 1d, max_agee: 2d} | line 3 | maintenance.retention.logs.max_agee | keep_newest",
    })
    void aBadRetentionTaskNamesFileLineTaskAndField(String task, String line, String field, String message)
            throws IOException {
        Path file = write("maintenance:\n  retention:\n    " + task + "\n");
        assertThatThrownBy(() -> ConfigLoader.read(file))
                .isInstanceOf(DlstationException.class)
                .satisfies(e -> assertThat(((DlstationException) e).code()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining(file.toString())
                .hasMessageContaining(line)
                .hasMessageContaining(field)
                .hasMessageContaining(message)
                .hasMessageNotContaining("java.")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "models: {destination: /b} | sources is missing",
        "models: {sources: [/m]} | destination is missing",
        "models: {sources: [/m], destination: b} | 'b' is relative",
        "models: {sources: [/m], destination: /b, keep: 0} | keep 0 < 1",
        "models: {sources: [/m], destination: /b, name: '../x'} | task name '../x' is not usable",
        "models: {sources: [/m], destination: /b, schedule: 'every sunday'} | schedule 'every sunday' is not a Unix cron",
    })
    void aBadBackupTaskNamesTheTaskAndTheReason(String task, String message) throws IOException {
        Path file = write("maintenance:\n  backup:\n    " + task + "\n");
        assertThatThrownBy(() -> ConfigLoader.read(file))
                .isInstanceOf(DlstationException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("maintenance.backup.models")
                .hasMessageContaining(message);
    }

    @Test
    void aTaskNameThatCannotNameFilesIsRefused() throws IOException {
        Path file = write("maintenance:\n  retention:\n    'bad name': {folders: [/l], max_age: 1d}\n");
        assertThatThrownBy(() -> ConfigLoader.read(file))
                .hasMessageContaining("field 'maintenance'")
                .hasMessageContaining("retention task name 'bad name' is not usable");
    }

    @Test
    void taskNamesAreUniqueAcrossKinds() throws IOException {
        Path file = write("""
                maintenance:
                  retention:
                    logs: {folders: [/l], max_age: 1d}
                  backup:
                    logs: {sources: [/l], destination: /b}
                """);
        assertThatThrownBy(() -> ConfigLoader.read(file)).hasMessageContaining("task name 'logs' is used by a retention "
                + "task and a backup task");
    }

    @Test
    void aTaskNamedTwiceIsAnErrorNotASilentOverwrite() throws IOException {
        Path file = write("""
                maintenance:
                  retention:
                    logs: {folders: [/l], max_age: 1d}
                    logs: {folders: [/m], max_age: 0d}
                """);
        assertThatThrownBy(() -> ConfigLoader.read(file)).hasMessageContaining("line 4").hasMessageContaining("logs");
    }
}
