package io.dlstation.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dlstation.models.nn.BatchNorm2d;
import io.dlstation.models.nn.Conv2d;
import io.dlstation.models.nn.Linear;
import io.dlstation.models.nn.ParameterInit;
import io.dlstation.models.nn.ScriptedFunction;
import io.dlstation.models.nn.TorchModule;

/**
 * ResNet v1.5 exactly as torchvision defines it ({@code torchvision.models.resnet}): the stride of a
 * downsampling bottleneck sits on its 3x3 convolution, convolutions have no bias, BatchNorm uses eps
 * 1e-5 and momentum 0.1, convolutions start kaiming-normal (fan-out), the classifier with PyTorch's
 * default. Parameter names match torchvision's state dict ({@code layer1.0.conv1.weight}, ...).
 *
 * <p>{@code width} scales every stage (64 in torchvision); smaller widths give the same structure for
 * tests.
 */
public final class ResNet extends TorchModule {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Stage[] layers;
    private final Linear fc;
    private final boolean channelsLast;

    /** The depths torchvision names. */
    public enum Depth {
        RESNET18(false, 2, 2, 2, 2),
        RESNET34(false, 3, 4, 6, 3),
        RESNET50(true, 3, 4, 6, 3),
        RESNET101(true, 3, 4, 23, 3);

        final boolean bottleneck;
        final int[] blocks;

        Depth(boolean bottleneck, int... blocks) {
            this.bottleneck = bottleneck;
            this.blocks = blocks;
        }
    }

    /**
     * @param width channels of the stem and the first stage (torchvision: 64)
     * @param zeroInitResidual start the last BatchNorm of every block at zero (torchvision's option)
     * @param channelsLast lay the input out NHWC in memory so cuDNN runs NHWC kernels throughout
     */
    public ResNet(Depth depth, int classes, int width, boolean zeroInitResidual, boolean channelsLast) {
        this(depth.bottleneck, depth.blocks, classes, width, zeroInitResidual, channelsLast);
    }

    /**
     * Any block counts, as torchvision's {@code ResNet(block, layers)} allows.
     *
     * @param bottleneck torchvision's {@code Bottleneck} (else {@code BasicBlock})
     * @param blocks blocks in each of the four stages
     */
    public ResNet(boolean bottleneck, int[] blocks, int classes, int width, boolean zeroInitResidual,
            boolean channelsLast) {
        if (classes < 1 || width < 1 || blocks.length != 4) {
            throw new IllegalArgumentException("classes < 1, width < 1 or not 4 stages: " + classes + ", " + width + ", "
                    + blocks.length);
        }
        this.channelsLast = channelsLast;
        conv1 = module("conv1", new Conv2d(3, width, 7, 2, 3, false, ParameterInit.kaimingNormalFanOut()));
        bn1 = module("bn1", new BatchNorm2d(width));
        int expansion = bottleneck ? 4 : 1;
        int inplanes = width;
        layers = new Stage[4];
        for (int i = 0; i < 4; i++) {
            int planes = width << i;
            int stride = i == 0 ? 1 : 2;
            layers[i] = module("layer" + (i + 1), new Stage(bottleneck, inplanes, planes, blocks[i], stride,
                    zeroInitResidual));
            inplanes = planes * expansion;
        }
        fc = module("fc", new Linear(inplanes, classes));
    }

    @Override
    public boolean prefersChannelsLast() {
        return channelsLast;
    }

    /** torchvision's {@code resnet50()}: 1000 classes, width 64, NCHW. */
    public static ResNet resnet50() {
        return new ResNet(Depth.RESNET50, 1000, 64, false, false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (channelsLast) {
            x = MemoryFormat.channelsLast(x);
        }
        x = ResNetScripts.stem(bn1.eps(), bn1.momentum()).call(x, stemParameters(), training);
        for (Stage stage : layers) {
            x = stage.apply(x, training);
        }
        x = Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), -1);
        return new NDList(fc.apply(x, training));
    }

    /** The stem's convolution weight and batch norm, in the scripted stem's order. */
    private NDArray[] stemParameters() {
        NDArray[] conv = conv1.parameterArrays();
        NDArray[] bn = bn1.parameterArrays();
        return new NDArray[] {conv[0], bn[0], bn[1], bn[2], bn[3]};
    }

    /** One {@code layerN}: blocks named "0", "1", ... */
    static final class Stage extends TorchModule {
        private final TorchModule[] blocks;

        Stage(boolean bottleneck, int inplanes, int planes, int count, int stride, boolean zeroInit) {
            blocks = new TorchModule[count];
            int expansion = bottleneck ? 4 : 1;
            for (int i = 0; i < count; i++) {
                int in = i == 0 ? inplanes : planes * expansion;
                int s = i == 0 ? stride : 1;
                boolean downsample = i == 0 && (stride != 1 || inplanes != planes * expansion);
                blocks[i] = module(Integer.toString(i), bottleneck
                        ? new Bottleneck(in, planes, s, downsample, zeroInit)
                        : new BasicBlock(in, planes, s, downsample, zeroInit));
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            for (TorchModule block : blocks) {
                x = block.apply(x, training);
            }
            return new NDList(x);
        }
    }

    /** torchvision's {@code Bottleneck}: 1x1, 3x3 (with the stride), 1x1 expanding 4x. */
    static final class Bottleneck extends TorchModule {
        private final Conv2d conv1;
        private final BatchNorm2d bn1;
        private final Conv2d conv2;
        private final BatchNorm2d bn2;
        private final Conv2d conv3;
        private final BatchNorm2d bn3;
        private final Downsample downsample;
        private final ScriptedFunction script;

        Bottleneck(int in, int planes, int stride, boolean downsample, boolean zeroInit) {
            ParameterInit init = ParameterInit.kaimingNormalFanOut();
            conv1 = module("conv1", new Conv2d(in, planes, 1, 1, 0, false, init));
            bn1 = module("bn1", new BatchNorm2d(planes));
            conv2 = module("conv2", new Conv2d(planes, planes, 3, stride, 1, false, init));
            bn2 = module("bn2", new BatchNorm2d(planes));
            conv3 = module("conv3", new Conv2d(planes, planes * 4, 1, 1, 0, false, init));
            bn3 = module("bn3", new BatchNorm2d(planes * 4, 1e-5f, 0.1f, zeroInit));
            this.downsample = downsample ? module("downsample", new Downsample(in, planes * 4, stride)) : null;
            this.script = ResNetScripts.bottleneck(stride, downsample, bn1.eps(), bn1.momentum());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(script.call(inputs.singletonOrThrow(), parameterArrays(), training));
        }
    }

    /** torchvision's {@code BasicBlock}: two 3x3 convolutions, the first with the stride. */
    static final class BasicBlock extends TorchModule {
        private final Conv2d conv1;
        private final BatchNorm2d bn1;
        private final Conv2d conv2;
        private final BatchNorm2d bn2;
        private final Downsample downsample;
        private final ScriptedFunction script;

        BasicBlock(int in, int planes, int stride, boolean downsample, boolean zeroInit) {
            ParameterInit init = ParameterInit.kaimingNormalFanOut();
            conv1 = module("conv1", new Conv2d(in, planes, 3, stride, 1, false, init));
            bn1 = module("bn1", new BatchNorm2d(planes));
            conv2 = module("conv2", new Conv2d(planes, planes, 3, 1, 1, false, init));
            bn2 = module("bn2", new BatchNorm2d(planes, 1e-5f, 0.1f, zeroInit));
            this.downsample = downsample ? module("downsample", new Downsample(in, planes, stride)) : null;
            this.script = ResNetScripts.basic(stride, downsample, bn1.eps(), bn1.momentum());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(script.call(inputs.singletonOrThrow(), parameterArrays(), training));
        }
    }

    /** torchvision's {@code downsample = Sequential(conv1x1, BatchNorm2d)}: names "0" and "1". */
    static final class Downsample extends TorchModule {
        private final Conv2d conv;
        private final BatchNorm2d bn;

        Downsample(int in, int out, int stride) {
            conv = module("0", new Conv2d(in, out, 1, stride, 0, false, ParameterInit.kaimingNormalFanOut()));
            bn = module("1", new BatchNorm2d(out));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(bn.apply(conv.apply(inputs.singletonOrThrow(), training), training));
        }
    }
}
