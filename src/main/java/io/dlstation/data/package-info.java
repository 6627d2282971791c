/**
 * Training data on the host: image datasets ({@link io.dlstation.data.ShapesDataset}, built in and
 * procedurally drawn; {@link io.dlstation.data.ImageFolderDataset}, {@code DIR/<class>/*.jpg}), the
 * {@code --data} spec that picks one, and {@link io.dlstation.data.BatchLoader}, which assembles
 * batches on worker threads in an order and with augmentation that depend only on (seed, epoch, index).
 *
 * <p>The door: {@link io.dlstation.data.Datasets} opens what a {@link io.dlstation.data.DataSpec}
 * names (sized by {@link io.dlstation.data.DataOptions}) as a {@link io.dlstation.data.DatasetSplit}
 * of {@link io.dlstation.data.ImageDataset}s, and {@link io.dlstation.data.BatchLoader} turns one into
 * {@link io.dlstation.data.HostBatch}es. ShapesDataset and ImageFolderDataset are the two datasets,
 * SkippedImage names a file left out, and EvaluationImages gives serving the evaluation transform of
 * training.
 */
package io.dlstation.data;
