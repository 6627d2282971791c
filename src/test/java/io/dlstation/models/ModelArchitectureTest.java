package io.dlstation.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dlstation.engine.Precision;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.ParameterRole;
import io.dlstation.models.nn.TorchParameter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Structure checks against the numbers torchvision and Hugging Face print for the same models. */
class ModelArchitectureTest {

    @Test
    void resnet50HasTorchvisionsParameterCountAndNames() {
        ResNet model = ResNet.resnet50();
        // sum(p.numel() for p in torchvision.models.resnet50().parameters())
        assertThat(model.parameterCount()).isEqualTo(25_557_032L);
        Map<String, TorchParameter> named = model.namedParameters();
        assertThat(named).containsKeys("conv1.weight", "bn1.running_var", "layer1.0.conv1.weight",
                "layer1.0.downsample.0.weight", "layer1.0.downsample.1.bias", "layer4.2.bn3.weight", "fc.weight", "fc.bias");
        assertThat(named.get("layer2.0.conv2.weight").shape()).isEqualTo(new Shape(128, 128, 3, 3));
        assertThat(named.get("layer2.0.conv1.weight").shape()).isEqualTo(new Shape(128, 256, 1, 1));
        assertThat(named.get("bn1.weight").role()).isEqualTo(ParameterRole.NORM);
        assertThat(named.get("bn1.running_mean").role()).isEqualTo(ParameterRole.BUFFER);
        // state_dict() minus the 53 num_batches_tracked entries
        assertThat(named).hasSize(320 - 53);
    }

    @Test
    void otherDepthsMatchTorchvision() {
        assertThat(new ResNet(ResNet.Depth.RESNET18, 1000, 64, false, false).parameterCount()).isEqualTo(11_689_512L);
        assertThat(new ResNet(ResNet.Depth.RESNET34, 1000, 64, false, false).parameterCount()).isEqualTo(21_797_672L);
        assertThat(new ResNet(ResNet.Depth.RESNET101, 1000, 64, false, false).parameterCount()).isEqualTo(44_549_160L);
    }

    @Test
    void bertBaseHasHuggingFacesParameterCount() {
        Bert bert = new Bert(BertConfig.base());
        // sum(p.numel() for p in BertModel(BertConfig()).parameters())
        assertThat(bert.parameterCount()).isEqualTo(109_482_240L);
        assertThat(bert.namedParameters()).containsKeys("embeddings.word_embeddings.weight",
                "embeddings.LayerNorm.weight", "encoder.layer.0.attention.self.qkv.weight",
                "encoder.layer.11.output.LayerNorm.bias", "pooler.dense.weight");
    }

    @Test
    void aSmallResNetRunsForwardOnTheCpuInEveryPrecisionLayout() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet model = new ResNet(ResNet.Depth.RESNET50, 10, 8, false, false);
            ModelParameters params = ModelParameters.allocate(model, manager, Precision.FP32);
            NDArray x = manager.randomNormal(new Shape(2, 3, 64, 64));
            NDArray y = model.call(new NDList(x), false).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 10));
            assertThat(params.masterWeights().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(params.named().get("conv1.weight").parameter().getArray().getShape())
                    .isEqualTo(new Shape(8, 3, 7, 7));
        }
    }

    @Test
    void bertRunsForwardWithPaddingMask() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            BertConfig small = new BertConfig(100, 32, 2, 4, 64, 64, 2, 1e-12f, 0.1f);
            Bert bert = new Bert(small);
            ModelParameters.allocate(bert, manager, Precision.FP32);
            NDArray ids = manager.create(new long[] {5, 6, 7, 0, 8, 9, 10, 11}, new Shape(2, 4));
            NDArray mask = manager.create(new long[] {1, 1, 1, 0, 1, 1, 1, 1}, new Shape(2, 4));
            NDList out = bert.call(new NDList(ids, null, mask), false);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 4, 32));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, 32));
        }
    }
}
