/**
 * TensorBoard event files, written and read without TensorFlow: scalar summaries in TFRecord framing.
 *
 * <p>{@link io.dlstation.tensorboard.EventFileWriter} appends scalars to one {@code events.out.tfevents.*}
 * file that {@code tensorboard --logdir} reads; {@link io.dlstation.tensorboard.EventFileReader} reads such a
 * file back, checking every record's checksums. The format is described in docs/TENSORBOARD.md.
 */
package io.dlstation.tensorboard;
