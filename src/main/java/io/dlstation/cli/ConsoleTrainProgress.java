package io.dlstation.cli;

import io.dlstation.train.TrainProgress;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run on the console: a progress bar per epoch with the latest loss, throughput, memory and
 * loss scale on a terminal; one line per log point otherwise (a file, a CI log).
 */
final class ConsoleTrainProgress implements TrainProgress {
    private final PrintWriter err;
    private final boolean interactive;
    private ProgressBar bar;
    private String lastStatus = "";
    private int epoch;
    private int epochs;

    ConsoleTrainProgress(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    @Override
    public synchronized void info(String line) {
        if (bar != null) {
            err.println();
        }
        err.println(line);
        err.flush();
    }

    @Override
    public synchronized void warn(String line) {
        info("warning: " + line);
    }

    @Override
    public synchronized void epochStarted(int epoch, int epochs, long steps, long done) {
        this.epoch = epoch;
        this.epochs = epochs;
        if (interactive) {
            bar = new ProgressBarBuilder().setTaskName(name()).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            bar.stepTo(done);
        }
    }

    @Override
    public synchronized void stepped(long stepInEpoch, String status) {
        if (bar != null) {
            bar.stepTo(stepInEpoch);
            bar.setExtraMessage(status);
        } else if (!status.isEmpty() && !status.equals(lastStatus)) {
            err.printf(Locale.ROOT, "%s step %d: %s%n", name(), stepInEpoch, status);
            err.flush();
        }
        lastStatus = status;
    }

    @Override
    public synchronized void epochEnded() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private String name() {
        return epochs > 0 ? String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs)
                : String.format(Locale.ROOT, "epoch %d", epoch + 1);
    }
}
