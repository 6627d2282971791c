package io.dlstation.maintain;

import io.dlstation.maintain.task.MaintenanceTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs scheduled tasks on an injected single-threaded {@link ScheduledExecutorService}: each tick runs what
 * the {@link MaintenanceScheduler} says is due, one task at a time, writes the heartbeat, and schedules the
 * next tick at {@link MaintenanceScheduler#nextWake()}. Tests drive it with a stepping executor and a
 * fixed clock.
 *
 * <p>Design: every tick and every task runs on the executor's one thread, so the scheduler needs no lock;
 * {@link #stop()} is called from another thread (a shutdown hook) and only sets a flag and shuts the
 * executor down, which interrupts a task in progress between two files.
 */
public final class MaintenanceDaemon {
    private final MaintenanceScheduler scheduler;
    private final MaintenanceRuns runs;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final RunListener listener;
    private final Consumer<String> say;
    private final long pid;
    private final String started;
    private volatile boolean stopped;

    /**
     * @param listener hears every event of every run (the terminal)
     * @param say one line for people per run and per problem (the terminal, or journald)
     */
    public MaintenanceDaemon(MaintenanceScheduler scheduler, MaintenanceRuns runs, ScheduledExecutorService executor,
            Clock clock, RunListener listener, Consumer<String> say) {
        this.scheduler = scheduler;
        this.runs = runs;
        this.executor = executor;
        this.clock = clock;
        this.listener = listener;
        this.say = say;
        this.pid = ProcessHandle.current().pid();
        this.started = clock.instant().toString();
    }

    /** Writes the first heartbeat and schedules the first tick at once. */
    public void start() {
        heartbeat(null);
        for (MaintenanceTask task : scheduler.tasks()) {
            say.accept(task.name() + " (" + task.kind() + "): schedule '" + task.schedule().orElseThrow()
                    + "', next run " + scheduler.nextRun(task).map(Instant::toString).orElse("never"));
        }
        executor.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
    }

    /** Stops after the task in progress (which an interrupt stops between two files). */
    public void stop() {
        stopped = true;
        executor.shutdownNow();
    }

    /** Whether {@link #stop()} was called. */
    public boolean stopped() {
        return stopped;
    }

    /** Writes the heartbeat that says the daemon stopped. */
    public void recordStop() {
        heartbeat(clock.instant().toString());
    }

    void tick() {
        try {
            scheduler.tick(due -> {
                if (stopped) {
                    return;
                }
                say.accept(due.task().name() + ": " + due.trigger() + " run for " + due.slot()
                        + (due.missed() > 0 ? " (" + due.missed() + " earlier slot(s) missed, run once)" : ""));
                TaskReport report = runs.runScheduled(due, listener, t -> scheduler.nextRun(t).orElse(null));
                say.accept(due.task().name() + ": " + report.outcome().label() + ": " + report.summary());
            });
            if (!stopped) {
                heartbeat(null);
            }
        } catch (RuntimeException e) {
            say.accept("tick failed: " + e.getMessage());
        } finally {
            if (!stopped && !executor.isShutdown()) {
                long delay = Math.max(0, Duration.between(clock.instant(), scheduler.nextWake()).toMillis());
                executor.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void heartbeat(String stoppedAt) {
        runs.heartbeat(new MaintenanceStatus.Daemon(pid, started, clock.instant().toString(), stoppedAt),
                scheduler.tasks(), t -> scheduler.nextRun(t).orElse(null), scheduler.lastSlots());
    }
}
