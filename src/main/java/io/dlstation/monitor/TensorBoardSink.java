package io.dlstation.monitor;

import io.dlstation.tensorboard.EventFileWriter;

/**
 * {@code --tensorboard DIR}: each snapshot's numbers ({@link SnapshotScalars}) as TensorBoard scalars,
 * at a step that counts snapshots, flushed every time so a running TensorBoard shows them at once.
 */
public final class TensorBoardSink implements SnapshotSink {
    private final EventFileWriter writer;
    private long step;

    public TensorBoardSink(EventFileWriter writer) {
        this.writer = writer;
    }

    @Override
    public void accept(MonitorSnapshot snapshot) {
        writer.scalars(SnapshotScalars.of(snapshot), step++);
        writer.flush();
    }

    @Override
    public String describe() {
        return "the TensorBoard file " + writer.file();
    }

    @Override
    public void close() {
        writer.close();
    }
}
