/**
 * Training data on the host: image datasets ({@link io.dlstation.data.ShapesDataset}, built in and
 * procedurally drawn; {@link io.dlstation.data.ImageFolderDataset}, {@code DIR/<class>/*.jpg}), the
 * {@code --data} spec that picks one, and {@link io.dlstation.data.BatchLoader}, which assembles
 * batches on worker threads in an order and with augmentation that depend only on (seed, epoch, index).
 */
package io.dlstation.data;
