package io.dlstation.maintain;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What one run of a task did (or, in a dry run, would do).
 *
 * @param task the task's name
 * @param kind retention or backup
 * @param dryRun whether nothing was changed
 * @param started when it started (ISO-8601)
 * @param finished when it ended
 * @param outcome ok, warning or failed
 * @param summary one line for people
 * @param warnings what to look at
 * @param error why it failed; null when it did not
 * @param events every file deleted, copied, refused, ... in order
 */
@JsonPropertyOrder({"task", "kind", "dry_run", "started", "finished", "outcome", "summary", "warnings", "error", "events"})
public record TaskReport(String task, String kind, boolean dryRun, String started, String finished, Outcome outcome,
        String summary, List<String> warnings, String error, List<RunEvent> events) {

    public TaskReport {
        warnings = List.copyOf(warnings);
        events = List.copyOf(events);
    }
}
