package io.dlstation.serve.wlm;

import java.util.List;

/**
 * Runs one batch: what a worker calls with the inputs of the requests it took from the queue. Each
 * worker has its own runner and calls it from its own thread only.
 *
 * @param <I> one request's input
 * @param <O> one request's output
 */
public interface BatchRunner<I, O> extends AutoCloseable {
    /**
     * The outputs of {@code inputs}, in the same order. A failure fails every request of the batch;
     * an out-of-memory failure makes the worker try the two halves of the batch on their own.
     */
    List<O> run(List<I> inputs) throws Exception;

    /** Where the runner runs, as metrics label it (e.g. "gpu:1"); empty when it does not say. */
    default String device() {
        return "";
    }

    /** Releases what the runner holds (native memory). Called once, by the thread that ran it. */
    @Override
    default void close() {}
}
