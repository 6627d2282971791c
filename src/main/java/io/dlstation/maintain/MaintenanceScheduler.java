package io.dlstation.maintain;

import io.dlstation.maintain.task.CronSchedule;
import io.dlstation.maintain.task.MaintenanceTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which scheduled tasks are due, from the wall clock. Each task remembers the last slot it ran for;
 * a task is due when its next slot after that is not in the future. However many slots passed (the machine
 * slept, or was off), the task runs once, for the latest of them, and the others are counted as missed.
 * The daemon calls {@link #tick} whenever it wakes; {@link #nextWake} never lies more than
 * {@link #MAX_SLEEP} ahead, because a sleeping machine stops the monotonic timers a scheduler waits on, and
 * the wall clock must be looked at again soon after it wakes.
 *
 * <p>Not thread-safe: the daemon calls it from its one scheduler thread.
 */
public final class MaintenanceScheduler {
    /** The longest the daemon sleeps before it looks at the clock again. */
    public static final Duration MAX_SLEEP = Duration.ofMinutes(1);
    /** A run this long after its slot is reported as a catch-up rather than on time. */
    static final Duration LATE = Duration.ofMinutes(2);
    private static final int MISSED_COUNT_LIMIT = 10_000;

    /** A task that is due: the slot it runs for, how many earlier slots it folds in, and whether it runs late. */
    public record Due(MaintenanceTask task, Instant slot, int missed, boolean late) {
        /** {@code schedule} for a run on time, {@code catch-up} for a late one. */
        public String trigger() {
            return late || missed > 0 ? "catch-up" : "schedule";
        }
    }

    /** Runs one due task; the daemon's is a {@link MaintenanceRuns}. */
    @FunctionalInterface
    public interface Execution {
        void run(Due due);
    }

    private final List<MaintenanceTask> tasks;
    private final Clock clock;
    private final Map<String, Instant> lastSlots = new LinkedHashMap<>();

    /**
     * A scheduler for the tasks that have a schedule. A task with a slot in {@code lastSlots} (from the status
     * file) counts from there, so slots missed while no daemon ran are caught up once; one without counts
     * from now.
     */
    public MaintenanceScheduler(List<MaintenanceTask> tasks, Clock clock, Map<String, Instant> lastSlots) {
        this.tasks = tasks.stream().filter(t -> t.schedule().isPresent()).toList();
        this.clock = clock;
        Instant now = clock.instant();
        for (MaintenanceTask task : this.tasks) {
            Instant last = lastSlots.get(task.name());
            this.lastSlots.put(task.name(), last == null || last.isAfter(now) ? now : last);
        }
    }

    /** The scheduled tasks. */
    public List<MaintenanceTask> tasks() {
        return tasks;
    }

    /** The tasks due now, in configuration order; nothing is marked as run. */
    public List<Due> due() {
        Instant now = clock.instant();
        List<Due> due = new ArrayList<>();
        for (MaintenanceTask task : tasks) {
            CronSchedule schedule = task.schedule().orElseThrow();
            Instant last = lastSlots.get(task.name());
            Optional<Instant> next = schedule.next(last, clock.getZone());
            if (next.isEmpty() || next.get().isAfter(now)) {
                continue;
            }
            Instant slot = schedule.latestAtOrBefore(now, clock.getZone()).orElse(next.get());
            due.add(new Due(task, slot, missedBetween(schedule, next.get(), slot),
                    Duration.between(slot, now).compareTo(LATE) > 0));
        }
        return due;
    }

    /** Runs every due task once, one after the other, marking each slot as handled before it runs. */
    public List<Due> tick(Execution execution) {
        List<Due> due = due();
        for (Due d : due) {
            lastSlots.put(d.task().name(), d.slot());
            execution.run(d);
        }
        return due;
    }

    /** The next slot of {@code task} the daemon will run, or empty when it has none. */
    public Optional<Instant> nextRun(MaintenanceTask task) {
        Instant last = lastSlots.get(task.name());
        if (last == null) {
            return Optional.empty();
        }
        Optional<Instant> next = task.schedule().orElseThrow().next(last, clock.getZone());
        Instant now = clock.instant();
        return next.map(n -> n.isBefore(now) ? now : n);
    }

    /** The last slot each task ran for (or the time counting started). */
    public Map<String, Instant> lastSlots() {
        return Map.copyOf(lastSlots);
    }

    /** When the daemon should look again: the earliest next slot, but no later than {@link #MAX_SLEEP} from now. */
    public Instant nextWake() {
        Instant now = clock.instant();
        Instant wake = now.plus(MAX_SLEEP);
        for (MaintenanceTask task : tasks) {
            Optional<Instant> next = nextRun(task);
            if (next.isPresent() && next.get().isBefore(wake)) {
                wake = next.get();
            }
        }
        return wake;
    }

    private int missedBetween(CronSchedule schedule, Instant first, Instant latest) {
        int missed = 0;
        for (Instant t = first; t.isBefore(latest) && missed < MISSED_COUNT_LIMIT; missed++) {
            t = schedule.next(t, clock.getZone()).orElse(latest);
        }
        return missed;
    }
}
