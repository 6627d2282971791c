package io.dlstation.cli;

import io.dlstation.config.DurationText;
import io.dlstation.config.MonitorConfig;
import io.dlstation.config.WebhookConfig;
import io.dlstation.error.DlstationException;
import io.dlstation.gpu.GpuTelemetry;
import io.dlstation.host.HostTelemetry;
import io.dlstation.monitor.LogRotation;
import io.dlstation.monitor.MonitorSnapshot;
import io.dlstation.monitor.Sampler;
import io.dlstation.monitor.SamplingBench;
import io.dlstation.monitor.SnapshotJson;
import io.dlstation.monitor.TerminalView;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlstation monitor}: live GPU and host telemetry, JSON lines, a log, Prometheus metrics, alerts. */
@Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Live GPU and host telemetry: a terminal view like gpustat, JSON lines, a rotating log, "
                + "a Prometheus exporter with DCGM-exporter names, and alert rules from dlstation.yaml.",
        footer = {"", "Examples:",
            "  dlstation monitor                                # live view, every 5 s",
            "  dlstation monitor --once --json                  # one snapshot as JSON",
            "  dlstation monitor --json --interval 1s > gpu.jsonl",
            "  dlstation monitor --prometheus-port 9400 --log /var/log/dlstation/monitor.log",
            "  dlstation monitor --alerts-test --webhook https://hooks.example.com/gpu",
            "  dlstation monitor --bench-sampling 1000          # what one sample costs",
            "", "See docs/MONITOR.md."})
final class MonitorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--interval", paramLabel = "DURATION",
            description = "Time between samples, e.g. 5s, 500ms (default: monitor.interval in dlstation.yaml, else 5s).")
    String interval;

    @Option(names = "--once", description = "Print one snapshot and exit.")
    boolean once;

    @Option(names = "--json", description = "JSON lines: one snapshot per line ({\"schema\":1,\"time\",\"host\",\"gpus\"}).")
    boolean json;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N samples (default: run until interrupted).")
    long count;

    @Option(names = "--plain", description = "Plain lines even on a terminal (no redraw, no colours).")
    boolean plain;

    @Option(names = "--prometheus-port", paramLabel = "PORT",
            description = "Serve /metrics (DCGM-exporter names) on this port, e.g. 9400.")
    Integer prometheusPort;

    @Option(names = "--prometheus-host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the exporter listens on (default ${DEFAULT-VALUE}: this machine only; "
                    + "0.0.0.0 serves every network).")
    String prometheusHost;

    @Option(names = "--log", paramLabel = "FILE", description = "Also append each snapshot (and alert) as a JSON line to FILE.")
    Path log;

    @Option(names = "--tensorboard", paramLabel = "DIR",
            description = "Also write each snapshot's numbers as TensorBoard scalars in DIR (tensorboard --logdir DIR).")
    Path tensorboard;

    @Option(names = "--log-max-size", paramLabel = "SIZE", defaultValue = "10MB",
            description = "Rotate the log when it would grow past SIZE (default ${DEFAULT-VALUE}).")
    String logMaxSize;

    @Option(names = "--log-daily", description = "Rotate the log at midnight instead of by size.")
    boolean logDaily;

    @Option(names = "--log-keep", paramLabel = "N", defaultValue = "5",
            description = "Rotated log files kept (default ${DEFAULT-VALUE}).")
    int logKeep;

    @Option(names = "--webhook", paramLabel = "URL",
            description = "POST alert events as JSON to URL (overrides monitor.notifiers.webhook.url).")
    String webhook;

    @Option(names = "--no-alerts", description = "Evaluate no alert rule.")
    boolean noAlerts;

    @Option(names = "--alerts-test", description = "Send one test event per alert rule through the notifiers, then exit.")
    boolean alertsTest;

    @Option(names = "--bench-sampling", paramLabel = "N",
            description = "Take N samples back to back and print what one costs (mean, p99, per GPU, CPU time).")
    Integer benchSampling;

    private final CliContext context;

    MonitorCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        MonitorConfig config = common.load(context).monitor();
        Duration every = interval == null ? config.interval() : DurationText.parse(interval, "--interval");
        MonitorConfig.checkInterval(every, "--interval");
        checkFlags();
        WebhookConfig hook = webhook != null ? WebhookConfig.of(WebhookConfig.checkUrl(webhook, "--webhook").toString())
                : config.notifiers().webhook();
        LogRotation rotation = new LogRotation(LogRotation.parseSize(logMaxSize, "--log-max-size"), logDaily, logKeep);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (GpuTelemetry gpus = context.telemetry().get()) {
            HostTelemetry host = HostTelemetry.open();
            if (benchSampling != null) {
                return bench(gpus, host, out);
            }
            MonitorWiring wiring = new MonitorWiring(config, hook, log, tensorboard, rotation, out, err);
            if (alertsTest) {
                return wiring.alertsTest(noAlerts ? List.of() : config.rules(), Sampler.of(gpus, host).sample());
            }
            if (once) {
                return printOnce(Sampler.of(gpus, host), out);
            }
            boolean live = !json && !plain && Terminals.interactive();
            return wiring.run(new MonitorWiring.Sampling(Sampler.of(gpus, host), every, count),
                    new MonitorWiring.Display(json, live, () -> Terminals.columns(context.env())),
                    noAlerts ? List.of() : config.rules(),
                    prometheusPort == null ? null : new MonitorWiring.Exporter(prometheusHost, prometheusPort));
        }
    }

    private void checkFlags() {
        if (count < 0) {
            throw DlstationException.badInput("--count " + count + " must be 0 (no limit) or more");
        }
        int modes = (once ? 1 : 0) + (alertsTest ? 1 : 0) + (benchSampling != null ? 1 : 0);
        if (modes > 1) {
            throw DlstationException.badInput("--once, --alerts-test and --bench-sampling each run alone; give one of them");
        }
        if (modes == 1 && (prometheusPort != null || count != 0)) {
            throw DlstationException.badInput("--prometheus-port and --count need the monitor to keep running; "
                    + "leave out --once, --alerts-test or --bench-sampling");
        }
        if (benchSampling != null && (benchSampling < 1 || benchSampling > 1_000_000)) {
            throw DlstationException.badInput("--bench-sampling " + benchSampling + " must be between 1 and 1000000");
        }
        if (prometheusPort != null && (prometheusPort < 0 || prometheusPort > 65535)) {
            throw DlstationException.badInput("--prometheus-port " + prometheusPort
                    + " is not a port; use 1-65535, e.g. 9400 (0 picks a free one)");
        }
    }

    private int printOnce(Sampler sampler, PrintWriter out) {
        // CPU load is measured between two readings, and OSHI keeps tick counters for 300 ms: give the
        // first reading half a second to count from.
        sampler.sample();
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MonitorSnapshot snapshot = sampler.sample();
        if (json) {
            out.println(SnapshotJson.line(snapshot));
            out.flush();
        } else {
            new TerminalView(out, false, () -> Integer.MAX_VALUE, List::of, ZoneId.systemDefault()).accept(snapshot);
        }
        return 0;
    }

    private int bench(GpuTelemetry gpus, HostTelemetry host, PrintWriter out) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        SamplingBench.Result r = new SamplingBench(gpus, host, context.ticker(),
                () -> os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1)
                .run(benchSampling);
        if (json) {
            out.println(Json.write(r));
        } else {
            out.printf(Locale.ROOT, "Sampling bench: %d samples, %d GPU(s)%s%n", r.samples(), r.gpuCount(),
                    r.gpuProblem() == null ? "" : " (" + r.gpuProblem() + ")");
            out.printf(Locale.ROOT, "  GPU read (all NVML calls)  mean %.3f ms  p99 %.3f ms  per GPU %.3f ms%n",
                    r.gpuMeanMillis(), r.gpuP99Millis(), r.perGpuMeanMillis());
            out.printf(Locale.ROOT, "  host read                  mean %.3f ms  p99 %.3f ms%n", r.hostMeanMillis(),
                    r.hostP99Millis());
            if (r.cpuMillisPerSample() != null) {
                out.printf(Locale.ROOT, "  process CPU per sample     %.3f ms  (%.2f%% of one core at a 1 s interval)%n",
                        r.cpuMillisPerSample(), r.cpuPercentAt1s());
            }
        }
        out.flush();
        return 0;
    }
}
