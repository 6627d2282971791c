package io.dlstation.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.ndarray.types.Shape;

/**
 * A small convolutional classifier for tests and demos: three conv-BN-ReLU stages (16, 32, 64
 * channels) with max pooling, global average pooling and a linear head. Takes NCHW images of any size
 * of at least 8x8; about 25 thousand parameters for 10 classes.
 */
public final class SmallCnn {
    private SmallCnn() {}

    /** The network for {@code classes} output classes. */
    public static Block build(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes < 2: " + classes);
        }
        SequentialBlock net = new SequentialBlock();
        for (int channels : new int[] {16, 32, 64}) {
            net.add(Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .setFilters(channels)
                            .optBias(false)
                            .build())
                    .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
        return net;
    }
}
