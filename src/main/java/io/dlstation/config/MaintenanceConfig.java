package io.dlstation.config;

import io.dlstation.error.DlstationException;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.MaintenanceTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code maintenance:} section of dlstation.yaml: retention and backup tasks by name, in file order.
 *
 * <pre>
 * maintenance:
 *   retention:
 *     logs: {folders: [/data/logs], glob: "*.log", max_age: 30d}          # daily at 02:00
 *   backup:
 *     models: {sources: [/data/models], destination: /backup, keep: 4}   # Sundays at 03:00
 * </pre>
 *
 * @param stateDir where the status file and the run log go; null for the default
 *     ({@code $XDG_STATE_HOME/dlstation} or {@code ~/.local/state/dlstation})
 * @param retention retention tasks by name
 * @param backup backup tasks by name
 */
public record MaintenanceConfig(Path stateDir, Map<String, RetentionConfig> retention, Map<String, BackupConfig> backup) {

    public MaintenanceConfig {
        retention = retention == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(retention));
        backup = backup == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(backup));
        if (stateDir != null) {
            stateDir = PathGuard.requirePlain("state_dir", stateDir);
        }
        for (String name : retention.keySet()) {
            checkName("retention", name, retention.get(name) == null);
        }
        for (String name : backup.keySet()) {
            checkName("backup", name, backup.get(name) == null);
            if (retention.containsKey(name)) {
                throw DlstationException.badInput("task name '" + name + "' is used by a retention task and a backup "
                        + "task; task names must be unique");
            }
        }
    }

    private static void checkName(String kind, String name, boolean empty) {
        try {
            MaintenanceTask.checkName(name);
        } catch (DlstationException e) {
            throw DlstationException.badInput(kind + " " + e.getMessage());
        }
        if (empty) {
            throw DlstationException.badInput(kind + " task '" + name + "' has no settings");
        }
    }

    /** No tasks. */
    public static MaintenanceConfig empty() {
        return new MaintenanceConfig(null, null, null);
    }

    /** Every task, retention first, each kind in file order. */
    public List<MaintenanceTask> tasks() {
        List<MaintenanceTask> tasks = new ArrayList<>();
        retention.forEach((name, r) -> tasks.add(r.toTask(name)));
        backup.forEach((name, b) -> tasks.add(b.toTask(name)));
        return tasks;
    }
}
