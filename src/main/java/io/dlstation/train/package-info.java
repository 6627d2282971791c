/**
 * Training machinery: the lean training step, fp16 mixed precision with float32 master weights and
 * dynamic loss scaling, and fused flat optimisers.
 */
package io.dlstation.train;
