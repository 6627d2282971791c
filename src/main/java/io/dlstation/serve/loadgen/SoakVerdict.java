package io.dlstation.serve.loadgen;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Whether a long run left the server steady, from the samples of its {@code /metrics}: of the samples
 * after the warm-up, the first fifth (the start) is compared with the last fifth (the end), each at least
 * 3 samples when there are 6 or more.
 * Memory is compared by its floor, the smallest value of each fifth, so that garbage waiting for the next
 * collection or a batch's temporaries are not taken for growth (so a window should span a few
 * collections: 10 s samples over a 10-minute soak make 2-minute windows of 12 samples):
 * <ul>
 *   <li>heap floor: grown if the end is over the start by more than {@value #HEAP_SLACK_MIB} MiB and
 *       {@value #HEAP_SLACK_PERCENT}%;
 *   <li>GPU memory used: grown if over by more than {@value #GPU_SLACK_MIB} MiB and {@value #GPU_SLACK_PERCENT}%;
 *   <li>process resident memory: shown, not judged (it follows the heap's committed size);
 *   <li>errors: requests the load generator got no 200 for, and the server's own count of answers of 400
 *       or more over the sampled time; any is a failure.
 * </ul>
 *
 * @param steady no error, no growth, and enough samples to tell
 * @param summary {@code steady}, {@code inconclusive}, or what was wrong
 * @param samplesAfterWarmup the samples compared
 * @param windowS the length of the start and the end, in seconds
 * @param findings one line per problem, for people
 */
@JsonPropertyOrder({"steady", "summary", "samples_after_warmup", "window_s", "heap_floor", "gpu_used", "rss",
    "client_errors", "server_errors", "findings"})
public record SoakVerdict(boolean steady, String summary, int samplesAfterWarmup, double windowS, Change heapFloor,
        Change gpuUsed, Change rss, long clientErrors, Long serverErrors, List<String> findings) {

    static final int HEAP_SLACK_MIB = 16;
    static final int HEAP_SLACK_PERCENT = 10;
    static final int GPU_SLACK_MIB = 64;
    static final int GPU_SLACK_PERCENT = 2;
    private static final double MIB = 1024.0 * 1024.0;

    /**
     * One quantity at the start and at the end, in bytes; nulls where the server does not export it.
     *
     * @param allowed the growth tolerated, null when not judged
     * @param grew whether it grew by more than allowed (false when not judged)
     */
    @JsonPropertyOrder({"start", "end", "growth", "allowed", "grew"})
    public record Change(Double start, Double end, Double growth, Double allowed, boolean grew) {}

    /**
     * Judges {@code samples} (in time order).
     *
     * @param warmupS samples taken before this many seconds are left out
     * @param clientErrors requests the load generator measured without a 200
     */
    static SoakVerdict of(List<ServerSample> samples, double warmupS, long clientErrors) {
        List<ServerSample> after = samples.stream().filter(s -> s.tS() >= warmupS).toList();
        int w = Math.max(1, Math.max(Math.min(3, after.size() / 2), after.size() / 5));
        List<ServerSample> start = after.subList(0, Math.min(w, after.size()));
        List<ServerSample> end = after.subList(Math.max(0, after.size() - w), after.size());
        double windowS = start.size() < 2 ? 0 : start.get(start.size() - 1).tS() - start.get(0).tS();
        Change heap = change(start, end, ServerSample::heapUsedBytes, HEAP_SLACK_MIB, HEAP_SLACK_PERCENT);
        Change gpu = change(start, end, ServerSample::gpuUsedBytes, GPU_SLACK_MIB, GPU_SLACK_PERCENT);
        Change rss = change(start, end, ServerSample::rssBytes, -1, -1);
        Long serverErrors = serverErrors(samples);

        List<String> findings = new ArrayList<>();
        if (clientErrors > 0) {
            findings.add(clientErrors + " requests got no 200");
        }
        if (serverErrors != null && serverErrors > 0) {
            findings.add("the server answered " + serverErrors + " requests with 400 or more");
        }
        if (heap.grew()) {
            findings.add(String.format(Locale.ROOT, "the heap floor grew by %.1f MiB", heap.growth() / MIB));
        }
        if (gpu.grew()) {
            findings.add(String.format(Locale.ROOT, "GPU memory used grew by %.1f MiB", gpu.growth() / MIB));
        }
        boolean enough = after.size() >= 2;
        if (!enough) {
            findings.add("fewer than 2 samples after the warm-up: run longer or sample more often");
        }
        String summary;
        if (findings.isEmpty()) {
            summary = "steady";
        } else if (enough || clientErrors > 0 || (serverErrors != null && serverErrors > 0)) {
            summary = String.join("; ", findings);
        } else {
            summary = "inconclusive";
        }
        return new SoakVerdict(findings.isEmpty(), summary, after.size(), round(windowS), heap, gpu, rss, clientErrors,
                serverErrors, List.copyOf(findings));
    }

    private static Change change(List<ServerSample> start, List<ServerSample> end,
            Function<ServerSample, Double> value, int slackMib, int slackPercent) {
        Double a = floor(start, value);
        Double b = floor(end, value);
        if (a == null || b == null) {
            return new Change(a, b, null, null, false);
        }
        Double allowed = slackMib < 0 ? null : Math.max(slackMib * MIB, a * slackPercent / 100.0);
        return new Change(a, b, b - a, allowed, allowed != null && b - a > allowed);
    }

    private static Double floor(List<ServerSample> window, Function<ServerSample, Double> value) {
        return window.stream().map(value).filter(Objects::nonNull).min(Double::compare).orElse(null);
    }

    private static Long serverErrors(List<ServerSample> samples) {
        List<Long> counts = samples.stream().map(ServerSample::failedRequests).filter(Objects::nonNull).toList();
        return counts.isEmpty() ? null : counts.get(counts.size() - 1) - counts.get(0);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The verdict for people: a line per quantity, then the verdict. */
    String text() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Server after the warm-up: %d samples; the first and the last %s compared (floor of each)%n",
                samplesAfterWarmup, windowS > 0 ? String.format(Locale.ROOT, "%.0f s", windowS) : "sample"));
        s.append(line("heap floor", heapFloor));
        s.append(line("GPU memory used", gpuUsed));
        s.append(line("process RSS", rss));
        s.append(String.format(Locale.ROOT, "  %-16s %d without a 200 at the client, %s%n", "errors", clientErrors,
                serverErrors == null ? "the server does not count them" : serverErrors + " answered 400+ by the server"));
        s.append("Verdict: ").append(steady ? "steady (no growth, no errors)" : summary).append('\n');
        return s.toString();
    }

    private static String line(String name, Change c) {
        if (c.start() == null || c.end() == null) {
            return String.format(Locale.ROOT, "  %-16s not exported by the server%n", name);
        }
        String judged = c.allowed() == null ? "not judged"
                : c.grew() ? String.format(Locale.ROOT, "GREW (more than %.1f MiB)", c.allowed() / MIB) : "ok";
        return String.format(Locale.ROOT, "  %-16s %10.1f MiB -> %10.1f MiB  %+9.1f MiB  %s%n", name, c.start() / MIB,
                c.end() / MIB, c.growth() / MIB, judged);
    }
}
