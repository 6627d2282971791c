package io.dlstation.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dlstation.models.nn.BatchNorm2d;
import io.dlstation.models.nn.Conv2d;
import io.dlstation.models.nn.Linear;
import io.dlstation.models.nn.ParameterInit;
import io.dlstation.models.nn.TorchModule;

/**
 * A small convolutional classifier for tests, demos and the built-in shapes data: three stages of
 * 3x3 convolution (16, 32, 64 channels, no bias), BatchNorm, ReLU and 2x2 max pooling, then global
 * average pooling and a linear head. Takes NCHW images of at least 8x8; about 24 thousand parameters
 * for 10 classes. In PyTorch terms: {@code features.{0,1,2}.{conv,bn}} and {@code classifier}.
 */
public final class SmallCnn extends TorchModule {
    private static final int[] CHANNELS = {16, 32, 64};

    private final Stage[] stages = new Stage[CHANNELS.length];
    private final Linear classifier;
    private final boolean channelsLast;

    /**
     * @param channelsLast lay activations out NHWC in memory (faster on a GPU)
     */
    public SmallCnn(int classes, boolean channelsLast) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes < 2: " + classes);
        }
        this.channelsLast = channelsLast;
        Features features = module("features", new Features());
        int in = 3;
        for (int i = 0; i < CHANNELS.length; i++) {
            stages[i] = features.add(String.valueOf(i), new Stage(in, CHANNELS[i]));
            in = CHANNELS[i];
        }
        classifier = module("classifier", new Linear(in, classes));
    }

    @Override
    public boolean prefersChannelsLast() {
        return channelsLast;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (channelsLast) {
            x = MemoryFormat.channelsLast(x);
        }
        for (Stage stage : stages) {
            x = stage.apply(x, training);
        }
        x = Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), -1);
        return new NDList(classifier.apply(x, training));
    }

    /** The container named "features", as an {@code nn.Sequential} would be. */
    private static final class Features extends TorchModule {
        <M extends TorchModule> M add(String name, M stage) {
            return module(name, stage);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            throw new UnsupportedOperationException("the stages are called one by one");
        }
    }

    /** Convolution, BatchNorm, ReLU, 2x2 max pooling. */
    private static final class Stage extends TorchModule {
        private final Conv2d conv;
        private final BatchNorm2d bn;

        Stage(int in, int out) {
            conv = module("conv", new Conv2d(in, out, 3, 1, 1, false, ParameterInit.kaimingNormalFanOut()));
            bn = module("bn", new BatchNorm2d(out));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = Activation.relu(bn.apply(conv.apply(inputs.singletonOrThrow(), training), training));
            return new NDList(Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false));
        }
    }
}
