/**
 * {@code dlstation monitor}: a {@link io.dlstation.monitor.Sampler} takes an immutable
 * {@link io.dlstation.monitor.MonitorSnapshot} of every GPU and the host each interval
 * ({@link io.dlstation.monitor.MonitorLoop}, on an injected scheduler and clock) and hands it to
 * {@link io.dlstation.monitor.SnapshotSink}s: the terminal view, JSON lines, the rotating log, the
 * Prometheus collectors (DCGM exporter names) and the {@link io.dlstation.monitor.AlertEngine}, whose
 * rules fire after a duration and resolve with hysteresis, through notifiers (standard error, log,
 * webhook, whose back-offs wait on an injected {@link io.dlstation.time.Scheduler}). Nothing in a tick throws: a failing sensor is a missing value, a failing sink a reported
 * problem.
 *
 * <p>Its face is wide because the CLI assembles a monitor from these parts (and serve reuses the
 * sampler and the Prometheus collectors): the {@link io.dlstation.monitor.Sampler} (and {@link
 * io.dlstation.monitor.SamplingBench}), the {@link io.dlstation.monitor.MonitorLoop} over {@link
 * io.dlstation.monitor.SnapshotSink}s (TerminalView, JsonLinesSink, LogSink with RotatingLog and
 * LogRotation, TensorBoardSink, LatestSnapshot for the collectors GpuCollector, HostCollector and
 * AlertCollector that the PrometheusExporter serves), and the {@link io.dlstation.monitor.AlertEngine}
 * with its events (AlertEvent, ActiveAlert, AlertTestEvents) and notifiers (Notifiers, StderrNotifier,
 * LogNotifier and WebhookNotifier, each an AlertNotifier). {@link
 * io.dlstation.monitor.MonitorSnapshot} and {@link io.dlstation.monitor.SnapshotJson} are the snapshot
 * and its JSON.
 */
package io.dlstation.monitor;
