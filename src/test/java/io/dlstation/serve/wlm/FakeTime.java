package io.dlstation.serve.wlm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** A ticker and a scheduler that move only when the test advances them: time without sleeping. */
final class FakeTime implements Ticker, Scheduler {
    private record Timer(long due, Runnable task, CompletableFuture<Void> handle) {}

    private long now = 1_000_000_000L;
    private final List<Timer> timers = new ArrayList<>();

    @Override
    public synchronized long read() {
        return now;
    }

    @Override
    public synchronized Future<?> schedule(Runnable task, long delayNanos) {
        Timer timer = new Timer(now + delayNanos, task, new CompletableFuture<>());
        timers.add(timer);
        return timer.handle();
    }

    /** Moves time on by {@code millis} and runs the timers that came due, in order. */
    void advanceMillis(double millis) {
        List<Timer> due;
        synchronized (this) {
            now += Math.round(millis * 1e6);
            due = timers.stream().filter(t -> t.due() <= now).sorted(Comparator.comparingLong(Timer::due)).toList();
            timers.removeAll(due);
        }
        due.stream().filter(t -> !t.handle().isCancelled()).forEach(t -> t.task().run());
    }

    /** Timers neither run nor cancelled. */
    synchronized long pendingTimers() {
        return timers.stream().filter(t -> !t.handle().isCancelled()).count();
    }
}
