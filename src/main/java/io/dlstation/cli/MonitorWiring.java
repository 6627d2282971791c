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

    /** Samples until the count is reached or the process is interrupted. */
    int run(Sampler sampler, Duration every, long count, boolean json, boolean live, IntSupplier width,
            boolean noAlerts, Integer prometheusPort, String prometheusHost) {
        List<AlertRuleConfig> rules = noAlerts ? List.of() : config.rules();
        RotatingLog rotating = log == null ? null : RotatingLog.open(log, rotation, Clock.systemDefaultZone());
        AtomicReference<AlertEngine> engineRef = new AtomicReference<>();
        Supplier<List<ActiveAlert>> active = () -> engineRef.get() == null ? List.of() : engineRef.get().active();
        TerminalView view = json ? null : new TerminalView(out, live, width, active, ZoneId.systemDefault());
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
        if (webhook != null && !rules.isEmpty()) {
            notifierList.add(WebhookNotifier.start(webhook, problems));
        }
        Notifiers notifiers = new Notifiers(notifierList, problems);
        AlertEngine engine = rules.isEmpty() ? null : new AlertEngine(rules, notifiers);
        engineRef.set(engine);

        LatestSnapshot latest = new LatestSnapshot();
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
        PrometheusExporter exporter = null;
        if (prometheusPort != null) {
            PrometheusRegistry registry = new PrometheusRegistry();
            GpuCollector.register(registry, latest);
            HostCollector.register(registry, latest);
            registry.register(new AlertCollector(active));
            ProcessMetrics.builder().register(registry);
            try {
                exporter = PrometheusExporter.start(prometheusHost, prometheusPort, registry);
            } catch (DlstationException e) {
                notifiers.close();
                if (rotating != null) {
                    rotating.close();
                }
                throw e;
            }
            problems.accept("dlstation monitor: Prometheus metrics at " + exporter.url());
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("dlstation-monitor").daemon(true).factory());
        MonitorLoop loop = new MonitorLoop(sampler, sinks, scheduler, every, count, problems);
        PrometheusExporter served = exporter;
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                loop.close();
                notifiers.close();
                if (served != null) {
                    served.close();
                }
                scheduler.shutdownNow();
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
