package io.dlstation.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dlstation.engine.Precision;
import io.dlstation.models.nn.FusedAttention;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchParameter;
import org.junit.jupiter.api.Test;

/** The TorchScript-backed fused attention against plain matmul + softmax, forward and backward. */
class FusedAttentionTest {

    @Test
    void matchesPlainAttentionWithAPaddingMask() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray q = m.randomNormal(new Shape(2, 4, 8, 16));
            NDArray k = m.randomNormal(new Shape(2, 4, 8, 16));
            NDArray v = m.randomNormal(new Shape(2, 4, 8, 16));
            NDArray mask = m.zeros(new Shape(2, 1, 1, 8));
            mask.set(new ai.djl.ndarray.index.NDIndex("1, :, :, 5:"), -10000f);
            NDArray fused = FusedAttention.attend(q, k, v, mask, 0.1f, false);
            NDArray plain = q.mul(0.25f).matMul(k.transpose(0, 1, 3, 2)).add(mask).softmax(-1).matMul(v);
            assertThat(fused.sub(plain).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void bertGradientsAgreeBetweenFusedAndPlainAttention() {
        BertConfig config = new BertConfig(50, 16, 1, 2, 32, 16, 2, 1e-12f, 0f); // no dropout: deterministic
        float[] fused = qkvGradientNorm(new Bert(config).useFusedAttention(true));
        float[] plain = qkvGradientNorm(new Bert(config).useFusedAttention(false));
        assertThat(fused[0]).isPositive();
        assertThat(Math.abs(fused[0] - plain[0])).isLessThan(1e-4f * plain[0]);
        assertThat(Math.abs(fused[1] - plain[1])).isLessThan(1e-4f * Math.abs(plain[1]) + 1e-4f);
    }

    /** [norm of the qkv weight gradient, loss] after one backward pass from the same weights. */
    private static float[] qkvGradientNorm(Bert bert) {
        Engine.getEngine("PyTorch").setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ModelParameters params = ModelParameters.allocate(bert, m, Precision.FP32);
            NDArray ids = m.create(new long[] {3, 4, 5, 6, 7, 8}, new Shape(1, 6));
            float loss;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = bert.call(new NDList(ids), true).head();
                NDArray l = out.mul(out).sum();
                loss = l.getFloat();
                gc.backward(l);
            }
            TorchParameter qkv = params.named().get("encoder.layer.0.attention.self.qkv.weight");
            NDArray g = qkv.parameter().getArray().getGradient().toType(DataType.FLOAT32, false);
            return new float[] {g.mul(g).sum().sqrt().getFloat(), loss};
        }
    }
}
