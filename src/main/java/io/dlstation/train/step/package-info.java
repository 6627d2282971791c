/**
 * The training step, with no loop around it: forward, loss and backward of a micro-batch, then the
 * optimiser's update, without DJL's Trainer. {@link io.dlstation.train.step.TrainingStep} runs on one
 * device; {@link io.dlstation.train.step.DataParallelStep} runs replicas on several and all-reduces their
 * gradients onto the first. fp16 mixed precision keeps float32 master weights and scales the loss
 * dynamically ({@link io.dlstation.train.step.LossScaler}); the optimisers (SGD, AdamW) are fused over
 * the flat parameter storage of {@code models.nn} ({@link io.dlstation.train.step.FlatOptimizer}).
 * {@link io.dlstation.train.step.Losses} holds the loss functions.
 *
 * <p>The door is {@link io.dlstation.train.step.StepRunner}, what a loop drives: {@code train}'s run
 * loop, {@code bench}'s training points and the quickstart's check all drive a step through it or its
 * two implementations. Nothing here knows of epochs, data, checkpoints or settings; it imports the
 * engine, {@code models.nn} and the error type, never {@code train}.
 */
package io.dlstation.train.step;
