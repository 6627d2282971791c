package io.dlstation.maintain;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code maintain-status.json}: the daemon's heartbeat and each task's last run, rewritten whole (atomic
 * rename) after every run and every daemon tick. Times are ISO-8601 UTC.
 *
 * @param schema the file's version, 1
 * @param updated when it was last written
 * @param daemon the daemon that writes it, or null if none has
 * @param tasks each task's state by name
 */
@JsonPropertyOrder({"schema", "updated", "daemon", "tasks"})
public record MaintenanceStatus(int schema, String updated, Daemon daemon, Map<String, TaskState> tasks) {

    /** The daemon: its process id, when it started, its last tick, and when it stopped (null while running). */
    public record Daemon(long pid, String started, String heartbeat, String stopped) {}

    /**
     * One task: its kind and schedule, the next run the daemon will make, the last scheduled slot it ran for,
     * the last run (scheduled or by hand) and the last one that ended ok.
     */
    @JsonPropertyOrder({"kind", "schedule", "next_run", "last_slot", "last_run", "last_success"})
    public record TaskState(String kind, String schedule, String nextRun, String lastSlot, LastRun lastRun,
            String lastSuccess) {}

    /**
     * A run: what started it (schedule, catch-up after a missed slot, manual), the slot, how many slots were
     * missed and folded into it, its times, outcome, summary, warnings and error.
     */
    @JsonPropertyOrder({"trigger", "slot", "missed_slots", "started", "finished", "outcome", "summary", "warnings", "error"})
    public record LastRun(String trigger, String slot, int missedSlots, String started, String finished,
            Outcome outcome, String summary, List<String> warnings, String error) {}

    public MaintenanceStatus {
        tasks = tasks == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    }

    /** The status before anything ran. */
    public static MaintenanceStatus empty() {
        return new MaintenanceStatus(1, null, null, Map.of());
    }
}
