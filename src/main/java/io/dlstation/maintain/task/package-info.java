/**
 * The maintenance tasks as values: what a {@link io.dlstation.maintain.task.RetentionTask} or a {@link
 * io.dlstation.maintain.task.BackupTask} does and when, in the units users write them in ({@link
 * io.dlstation.maintain.task.AgeLimit}, {@link io.dlstation.maintain.task.ByteSize}, {@link
 * io.dlstation.maintain.task.CronSchedule}, the retention glob), each checked when it is made. Nothing
 * here touches a file: {@code maintain} runs the tasks, and {@code config} reads them from dlstation.yaml
 * with the same checks. It sits below both and imports nothing of dlstation but the error type.
 */
package io.dlstation.maintain.task;
