/**
 * Workstation upkeep: retention of logs and other files by age, count and total size, verified backups
 * (copied beside the destination, hashed into a manifest, synced, renamed into place) with restore, and
 * the cron schedules a daemon runs them on. The tasks themselves, and the sizes, ages and schedules they are
 * written in, are values in {@code maintain.task}; where a path may be deleted is decided by {@link
 * io.dlstation.files.PathGuard}.
 *
 * <p>Safety first: every delete is checked against the task's resolved roots (no {@code ..}, no symbolic
 * link escape, never a file system root, a home folder or a system folder), goes file by file and is
 * logged; a dry run changes nothing. Time comes from an injected {@link java.time.Clock} and the daemon
 * from an injected scheduler, so schedules are tested without waiting.
 *
 * <p>The CLI wires upkeep from these parts, which are its public face: {@link
 * io.dlstation.maintain.TaskRunner} runs one task now (copying through a {@link
 * io.dlstation.maintain.FileCopier}) into a {@link io.dlstation.maintain.TaskReport}; {@link
 * io.dlstation.maintain.TaskCheck} checks a configuration's tasks together; {@link
 * io.dlstation.maintain.MaintenanceRuns} records each run in the {@link
 * io.dlstation.maintain.StatusStore} ({@link io.dlstation.maintain.MaintenanceStatus}) and the {@link
 * io.dlstation.maintain.RunLog} ({@link io.dlstation.maintain.RunEvent}s through a {@link
 * io.dlstation.maintain.RunListener}, each ending in an {@link io.dlstation.maintain.Outcome}); {@link
 * io.dlstation.maintain.MaintenanceDaemon} runs what the {@link
 * io.dlstation.maintain.MaintenanceScheduler} says is due; {@link
 * io.dlstation.maintain.BackupVerifier} and {@link io.dlstation.maintain.BackupRestorer} check and
 * restore a backup; {@link io.dlstation.maintain.MaintainJson} is the JSON of its files and of {@code
 * --json}. The planners, the backup writer and the catalog are package-private.
 */
package io.dlstation.maintain;
