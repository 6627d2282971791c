package io.dlstation.models;

import io.dlstation.models.nn.ScriptedFunction;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TorchScript functions a {@link ResNet} runs: the stem and each kind of block as torchvision's
 * forward writes them, over the block's parameters in state-dict order (each convolution's weight, then
 * its batch norm's weight, bias, running mean and running variance). ReLUs after batch norms and the
 * residual addition run in place, as torchvision's {@code inplace=True} does: autograd allows it there
 * because a batch norm's backward does not need its output.
 */
final class ResNetScripts {
    private static final Map<String, ScriptedFunction> FUNCTIONS = new ConcurrentHashMap<>();
    /** Tensors per convolution + batch norm pair in the parameter list. */
    private static final int CONV_BN = 5;

    private ResNetScripts() {}

    /** torchvision's stem without the pooling's successor: conv 7x7/2, batch norm, ReLU, max pool 3x3/2. */
    static ScriptedFunction stem(float eps, float momentum) {
        return function("stem", eps, momentum, "ResNetStem",
                "y = torch.relu_(" + convBn("x", 0, 2, 3, eps, momentum) + ")\n"
                        + "return torch.max_pool2d(y, [3, 3], [2, 2], [1, 1], [1, 1], False)");
    }

    /** torchvision's {@code Bottleneck}: 1x1, 3x3 with the stride, 1x1; a projection when {@code downsample}. */
    static ScriptedFunction bottleneck(int stride, boolean downsample, float eps, float momentum) {
        String identity = downsample ? convBn("x", 3 * CONV_BN, stride, 0, eps, momentum) : "x";
        return function("bottleneck/" + stride + "/" + downsample, eps, momentum, "Bottleneck",
                "out = torch.relu_(" + convBn("x", 0, 1, 0, eps, momentum) + ")\n"
                        + "out = torch.relu_(" + convBn("out", CONV_BN, stride, 1, eps, momentum) + ")\n"
                        + "out = " + convBn("out", 2 * CONV_BN, 1, 0, eps, momentum) + "\n"
                        + "out = torch.add_(out, " + identity + ")\n"
                        + "return torch.relu_(out)");
    }

    /** torchvision's {@code BasicBlock}: two 3x3 convolutions, the first with the stride. */
    static ScriptedFunction basic(int stride, boolean downsample, float eps, float momentum) {
        String identity = downsample ? convBn("x", 2 * CONV_BN, stride, 0, eps, momentum) : "x";
        return function("basic/" + stride + "/" + downsample, eps, momentum, "BasicBlock",
                "out = torch.relu_(" + convBn("x", 0, stride, 1, eps, momentum) + ")\n"
                        + "out = " + convBn("out", CONV_BN, 1, 1, eps, momentum) + "\n"
                        + "out = torch.add_(out, " + identity + ")\n"
                        + "return torch.relu_(out)");
    }

    private static ScriptedFunction function(String kind, float eps, float momentum, String className, String body) {
        String key = String.format(Locale.ROOT, "resnet/%s/%s/%s", kind, Float.toString(eps), Float.toString(momentum));
        return FUNCTIONS.computeIfAbsent(key, k -> ScriptedFunction.ofInput(k, className, body));
    }

    /** A bias-free convolution (weight {@code p[first]}) and the batch norm after it (the next four). */
    private static String convBn(String input, int first, int stride, int padding, float eps, float momentum) {
        return String.format(Locale.ROOT, "torch.batch_norm(torch.conv2d(%s, p[%d], None, [%d, %d], [%d, %d], [1, 1], 1), "
                + "p[%d], p[%d], p[%d], p[%d], training, %s, %s, True)", input, first, stride, stride, padding, padding,
                first + 1, first + 2, first + 3, first + 4, Float.toString(momentum), Float.toString(eps));
    }
}
