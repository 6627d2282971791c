/**
 * {@code dlstation train}: one training run from its {@link io.dlstation.train.TrainSettings} (built and
 * checked by their builder) to a trained model folder, driven by the {@link io.dlstation.train.Trainer}.
 * Around the step of {@code train.step} it holds the run: device placement and data-parallel replicas,
 * the batch-size search ({@code --batch-size auto}; {@link io.dlstation.train.MaxBatchSearch} is
 * {@code bench}'s too), the training data (images through {@code data}'s batch loader, normalised on the
 * device, or synthetic tensors), the loop of epochs with accumulation, the learning-rate schedule,
 * validation and early stopping, checkpoints written atomically and resumed exactly, the metrics
 * ({@code metrics.csv} and TensorBoard scalars) and the summary. Progress goes to an injected {@link
 * io.dlstation.train.TrainProgress}; elapsed time comes from an injected {@link io.dlstation.time.Ticker}
 * and wall times from a {@link java.time.Clock}.
 *
 * <p>The door: {@link io.dlstation.train.Trainer}, with {@link io.dlstation.train.TrainSettings} (and
 * its {@link io.dlstation.train.OptimizerKind} and {@link io.dlstation.train.LrSchedule}), the data
 * {@link io.dlstation.train.TrainingDataSources} opens ({@link io.dlstation.train.TrainingData}),
 * {@link io.dlstation.train.TrainProgress} and the {@link io.dlstation.train.TrainSummary} it ends
 * with. {@link io.dlstation.train.MaxBatchSearch} is public for {@code bench}'s largest-batch search,
 * and {@link io.dlstation.train.ImageTensors} for the normalisation (mean, std) that inputs of a model
 * trained here need. Checkpoints, the loop, the replicas, the batch-size finder and the metrics log are
 * package-private.
 */
package io.dlstation.train;
