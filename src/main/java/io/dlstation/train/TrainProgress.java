package io.dlstation.train;

/**
 * Where a run reports as it goes: lines for people, and a live status of the current step. The CLI
 * shows a progress bar on a terminal and plain lines otherwise; tests collect the lines.
 */
public interface TrainProgress {

    /** A line worth keeping in the log. */
    void info(String line);

    /** Something went wrong but the run goes on (a damaged checkpoint skipped, unreadable images). */
    void warn(String line);

    /** An epoch begins, of {@code steps} optimiser steps ({@code done} of them already made). */
    void epochStarted(int epoch, int epochs, long steps, long done);

    /** A step ended; {@code status} is a short line (loss, samples/s, memory, loss scale). */
    void stepped(long stepInEpoch, String status);

    /** The epoch's steps are done. */
    void epochEnded();
}
