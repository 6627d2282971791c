package io.dlstation.monitor;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The text view of {@code dlstation monitor}. Live (on a terminal): the screen is redrawn in place
 * each sample, lines cut to the terminal width, colours by line, cursor hidden until close; the
 * alerts that are pending or firing and the last few alert events show below the GPUs (so they do
 * not scroll the view away). Plain (a pipe or a file): each snapshot is printed as the same lines
 * followed by a blank line, without escape codes.
 *
 * <p>Called on the sampler thread; {@link #send} (as a notifier) also comes from the sampler thread.
 */
public final class TerminalView implements SnapshotSink, AlertNotifier {
    private static final String ESC = "\u001b[";
    private static final int RECENT = 5;

    private final PrintWriter out;
    private final boolean live;
    private final IntSupplier width;
    private final Supplier<List<ActiveAlert>> active;
    private final ZoneId zone;
    private final Deque<AlertEvent> recent = new ArrayDeque<>();
    private boolean drawn;
    private boolean closed;

    /**
     * @param live redraw in place with escape codes (a terminal), or print plain lines
     * @param width the terminal's columns (asked at each redraw, so a resize is followed)
     * @param active the alerts to list below the GPUs
     */
    public TerminalView(PrintWriter out, boolean live, IntSupplier width, Supplier<List<ActiveAlert>> active, ZoneId zone) {
        this.out = out;
        this.live = live;
        this.width = width;
        this.active = active;
        this.zone = zone;
    }

    @Override
    public void accept(MonitorSnapshot snapshot) {
        List<SnapshotText.Line> lines = SnapshotText.render(snapshot, active.get(), List.copyOf(recent), zone);
        StringBuilder frame = new StringBuilder();
        if (live) {
            frame.append(drawn ? ESC + "H" : ESC + "?25l" + ESC + "H" + ESC + "2J");
            int columns = Math.max(20, width.getAsInt());
            for (SnapshotText.Line line : lines) {
                String text = line.text().length() > columns ? line.text().substring(0, columns) : line.text();
                frame.append(color(line.style())).append(text).append(ESC).append("0m").append(ESC).append("K\n");
            }
            frame.append(ESC).append('J');
        } else {
            for (SnapshotText.Line line : lines) {
                frame.append(line.text()).append('\n');
            }
            frame.append('\n');
        }
        out.print(frame);
        out.flush();
        drawn = true;
    }

    /** Keeps the event for the view's list of the last few events (standard error gets them on a plain view). */
    @Override
    public void send(AlertEvent event) {
        recent.addLast(event);
        while (recent.size() > RECENT) {
            recent.removeFirst();
        }
    }

    @Override
    public String describe() {
        return "the terminal view";
    }

    @Override
    public void close() {
        if (live && drawn && !closed) {
            closed = true;
            out.print(ESC + "0m" + ESC + "?25h");
            out.flush();
        }
    }

    private static String color(SnapshotText.Style style) {
        return switch (style) {
            case PLAIN -> "";
            case HEADER -> ESC + "1m";
            case DIM -> ESC + "2m";
            case WARN -> ESC + "33m";
            case ALERT -> ESC + "1;31m";
        };
    }
}
