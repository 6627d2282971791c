package io.dlstation.cli;

import io.dlstation.config.AlertRuleConfig;
import io.dlstation.config.MonitorConfig;
import io.dlstation.config.WebhookConfig;
import io.dlstation.error.DlstationException;
import io.dlstation.monitor.ActiveAlert;
import io.dlstation.monitor.AlertCollector;
import io.dlstation.monitor.AlertEngine;
import io.dlstation.monitor.AlertEvent;
import io.dlstation.monitor.AlertNotifier;
import io.dlstation.monitor.AlertTestEvents;
import io.dlstation.monitor.GpuCollector;
import io.dlstation.monitor.HostCollector;
import io.dlstation.monitor.JsonLinesSink;
import io.dlstation.monitor.LatestSnapshot;
import io.dlstation.monitor.LogNotifier;
import io.dlstation.monitor.LogRotation;
import io.dlstation.monitor.LogSink;
import io.dlstation.monitor.MonitorLoop;
import io.dlstation.monitor.MonitorSnapshot;
import io.dlstation.monitor.Notifiers;
import io.dlstation.monitor.PrometheusExporter;
import io.dlstation.monitor.RotatingLog;
import io.dlstation.monitor.Sampler;
import io.dlstation.monitor.SnapshotSink;
import io.dlstation.monitor.TensorBoardSink;
import io.dlstation.tensorboard.EventFileWriter;
import io.dlstation.monitor.StderrNotifier;
import io.dlstation.monitor.TerminalView;
import io.dlstation.monitor.WebhookNotifier;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Puts the monitor's pieces together for {@link MonitorCommand}: notifiers, alert engine, sinks, exporter, loop. */
final class MonitorWiring {
    private final MonitorConfig config;
    private final WebhookConfig webhook;
    private final Path log;
    private final Path tensorboard;
    private final LogRotation rotation;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Consumer<String> problems;

    MonitorWiring(MonitorConfig config, WebhookConfig webhook, Path log, Path tensorboard, LogRotation rotation,
            PrintWriter out, PrintWriter err) {
        this.config = config;
        this.webhook = webhook;
        this.log = log;
        this.tensorboard = tensorboard;
        this.rotation = rotation;
        this.out = out;
        this.err = err;
        this.problems = line -> {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        };
    }

    /**
     * What is sampled and how often.
     *
     * @param count samples to take; 0: until stopped
     */
    record Sampling(Sampler sampler, Duration every, long count) {}

    /**
     * How snapshots are shown.
     *
     * @param json JSON lines instead of the terminal view
     * @param live redraw the terminal view in place (and show alerts there, not on stderr)
     * @param width the terminal's columns
     */
    record Display(boolean json, boolean live, IntSupplier width) {}

    /** Where the Prometheus exporter listens. */
    record Exporter(String host, int port) {}

    /**
     * Samples until the count is reached or the process is interrupted.
     *
     * @param rules the alert rules to evaluate (none: no alert engine)
     * @param exporterAt where to serve /metrics, or null for no exporter
     */
    int run(Sampling sampling, Display display, List<AlertRuleConfig> rules, Exporter exporterAt) {
        RotatingLog rotating = log == null ? null : RotatingLog.open(log, rotation, Clock.systemDefaultZone());
        AtomicReference<AlertEngine> engineRef = new AtomicReference<>();
        Supplier<List<ActiveAlert>> active = () -> engineRef.get() == null ? List.of() : engineRef.get().active();
        TerminalView view = display.json() ? null
                : new TerminalView(out, display.live(), display.width(), active, ZoneId.systemDefault());
        Notifiers notifiers = notifiers(view, display.live(), rotating, !rules.isEmpty());
        AlertEngine engine = rules.isEmpty() ? null : new AlertEngine(rules, notifiers);
        engineRef.set(engine);
        LatestSnapshot latest = new LatestSnapshot();
        List<SnapshotSink> sinks = sinks(engine, latest, view, rotating);
        PrometheusExporter exporter;
        try {
            exporter = exporterAt == null ? null : exporter(exporterAt, latest, active);
        } catch (DlstationException e) {
            notifiers.close();
            if (rotating != null) {
                rotating.close();
            }
            throw e;
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("dlstation-monitor").daemon(true).factory());
        MonitorLoop loop = new MonitorLoop(sampling.sampler(), sinks, scheduler, sampling.every(), sampling.count(),
                problems);
        return untilFinished(loop, () -> {
            loop.close();
            notifiers.close();
            if (exporter != null) {
                exporter.close();
            }
            scheduler.shutdownNow();
        });
    }

    /** Where alerts go: the terminal view, stderr (unless live), the log, the webhook (when there are rules). */
    private Notifiers notifiers(TerminalView view, boolean live, RotatingLog rotating, boolean alerts) {
        List<AlertNotifier> notifierList = new ArrayList<>();
        if (view != null) {
            notifierList.add(view);
        }
        if (config.notifiers().stderr() && !live) {
            notifierList.add(new StderrNotifier(err));
        }
        if (rotating != null && config.notifiers().log()) {
            notifierList.add(new LogNotifier(rotating));
        }
        if (webhook != null && alerts) {
            notifierList.add(WebhookNotifier.start(webhook, problems));
        }
        return new Notifiers(notifierList, problems);
    }

    /** Where each snapshot goes: alert engine, latest (for the exporter), view or JSON lines, log, TensorBoard. */
    private List<SnapshotSink> sinks(AlertEngine engine, LatestSnapshot latest, TerminalView view,
            RotatingLog rotating) {
        List<SnapshotSink> sinks = new ArrayList<>();
        if (engine != null) {
            sinks.add(engine);
        }
        sinks.add(latest);
        sinks.add(view != null ? view : new JsonLinesSink(out));
        if (rotating != null) {
            sinks.add(new LogSink(rotating));
        }
        if (tensorboard != null) {
            sinks.add(new TensorBoardSink(EventFileWriter.create(tensorboard, Clock.systemUTC())));
        }
        return sinks;
    }

    /** Serves the latest snapshot, the active alerts and the process's metrics at /metrics. */
    private PrometheusExporter exporter(Exporter at, LatestSnapshot latest, Supplier<List<ActiveAlert>> active) {
        PrometheusRegistry registry = new PrometheusRegistry();
        GpuCollector.register(registry, latest);
        HostCollector.register(registry, latest);
        registry.register(new AlertCollector(active));
        ProcessMetrics.builder().register(registry);
        PrometheusExporter exporter = PrometheusExporter.start(at.host(), at.port(), registry);
        problems.accept("dlstation monitor: Prometheus metrics at " + exporter.url());
        return exporter;
    }

    /**
     * Runs the loop until it ends (its count, a failure, or an interrupt), then {@code stopAll} once; a
     * shutdown hook runs it on Ctrl-C or SIGTERM.
     */
    private int untilFinished(MonitorLoop loop, Runnable stopAll) {
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                stopAll.run();
            }
        };
        Thread hook = new Thread(stop, "dlstation-monitor-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        loop.start();
        try {
            loop.finished().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            problems.accept("dlstation monitor: stopped: " + e.getCause().getMessage());
        } finally {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
        return 0;
    }

    /** Sends one test event per rule through the configured notifiers; 1 when the webhook did not take them all. */
    int alertsTest(List<AlertRuleConfig> rules, MonitorSnapshot snapshot) {
        if (rules.isEmpty()) {
            throw DlstationException.badInput("--alerts-test: there is no alert rule to test "
                    + "(monitor.rules is empty in dlstation.yaml, or --no-alerts was given)");
        }
        List<AlertNotifier> list = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (config.notifiers().stderr()) {
            list.add(new StderrNotifier(err));
            names.add("stderr");
        }
        RotatingLog rotating = log != null && config.notifiers().log()
                ? RotatingLog.open(log, rotation, Clock.systemDefaultZone()) : null;
        if (rotating != null) {
            list.add(new LogNotifier(rotating));
            names.add("log " + log);
        }
        WebhookNotifier hook = webhook == null ? null : WebhookNotifier.start(webhook, problems);
        if (hook != null) {
            list.add(hook);
            names.add("webhook " + webhook.url());
        }
        if (list.isEmpty()) {
            throw DlstationException.badInput("--alerts-test: no notifier is on; set monitor.notifiers.stderr: true, "
                    + "give --log FILE or --webhook URL");
        }
        Notifiers notifiers = new Notifiers(list, problems);
        List<AlertEvent> events = AlertTestEvents.of(rules, snapshot);
        events.forEach(notifiers::send);
        boolean idle = true;
        if (hook != null) {
            problems.accept("dlstation monitor: waiting for " + webhook.url() + " to take " + events.size()
                    + " test event(s) (up to " + webhook.maxAttempts() + " tries each)");
            try {
                idle = hook.awaitIdle(webhookPatience(webhook, events.size()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                idle = false;
            }
        }
        notifiers.close();
        if (rotating != null) {
            rotating.close();
        }
        out.printf("Sent %d test alert(s) to %s%s%n", events.size(), String.join(", ", names),
                hook == null ? "" : "; webhook: " + hook.delivered() + " delivered, " + (hook.failed() + hook.dropped())
                        + " not");
        out.flush();
        return hook != null && (!idle || hook.failed() > 0 || hook.dropped() > 0) ? 1 : 0;
    }

    /** Long enough for every try and back-off of every queued event, at most five minutes. */
    private static Duration webhookPatience(WebhookConfig hook, int events) {
        long backoffSeconds = Math.min(60L * hook.maxAttempts(), 1L << Math.min(hook.maxAttempts(), 10));
        Duration all = hook.timeout().multipliedBy(hook.maxAttempts()).plusSeconds(backoffSeconds).multipliedBy(events);
        Duration max = Duration.ofMinutes(5);
        return all.compareTo(max) > 0 ? max : all;
    }
}
