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
 */
package io.dlstation.maintain;
