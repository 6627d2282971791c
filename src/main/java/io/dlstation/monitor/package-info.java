/**
 * {@code dlstation monitor}: a {@link io.dlstation.monitor.Sampler} takes an immutable
 * {@link io.dlstation.monitor.MonitorSnapshot} of every GPU and the host each interval
 * ({@link io.dlstation.monitor.MonitorLoop}, on an injected scheduler and clock) and hands it to
 * {@link io.dlstation.monitor.SnapshotSink}s: the terminal view, JSON lines, the rotating log, the
 * Prometheus collectors (DCGM exporter names) and the {@link io.dlstation.monitor.AlertEngine}, whose
 * rules fire after a duration and resolve with hysteresis, through notifiers (standard error, log,
 * webhook, whose back-offs wait on an injected {@link io.dlstation.time.Scheduler}). Nothing in a tick throws: a failing sensor is a missing value, a failing sink a reported
 * problem.
 */
package io.dlstation.monitor;
