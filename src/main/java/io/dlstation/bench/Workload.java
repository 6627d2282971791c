package io.dlstation.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dlstation.models.Bert;
import io.dlstation.models.BertConfig;
import io.dlstation.models.ResNet;
import io.dlstation.models.nn.TorchModule;
import io.dlstation.train.step.Losses;
import java.util.function.BiFunction;

/**
 * A model with its synthetic data and loss, as the seed's benchmark uses them: ResNet on random
 * 224x224 images against random labels of 1000 classes (cross-entropy), BERT-base on random token ids
 * and no padding (so no attention mask, which is what an all-ones mask means), its loss the sum of the
 * last hidden state.
 */
interface Workload {

    /** The model, freshly built (parameters not yet allocated). */
    TorchModule model();

    /** A batch of inputs on {@code manager}'s device; floating inputs in {@code floatType}. */
    NDList inputs(NDManager manager, int batch, int seqLength, DataType floatType);

    /** Labels for the batch. */
    NDArray labels(NDManager manager, int batch);

    /** (outputs, labels) to a scalar float32 loss. */
    BiFunction<NDList, NDArray, NDArray> loss();

    /** What a sample is, for reports: "images" or "sequences". */
    String sampleUnit();

    /** The workload of {@code model}. */
    static Workload of(BenchModel model, boolean channelsLast) {
        return switch (model) {
            case RESNET18 -> new Images(ResNet.Depth.RESNET18, channelsLast);
            case RESNET34 -> new Images(ResNet.Depth.RESNET34, channelsLast);
            case RESNET50 -> new Images(ResNet.Depth.RESNET50, channelsLast);
            case RESNET101 -> new Images(ResNet.Depth.RESNET101, channelsLast);
            case BERT_BASE -> new Sequences(BertConfig.base());
        };
    }

    /** ResNet on ImageNet-shaped random data. */
    record Images(ResNet.Depth depth, boolean channelsLast) implements Workload {
        @Override
        public TorchModule model() {
            return new ResNet(depth, 1000, 64, false, channelsLast);
        }

        @Override
        public NDList inputs(NDManager manager, int batch, int seqLength, DataType floatType) {
            return new NDList(manager.randomNormal(new Shape(batch, 3, 224, 224)).toType(floatType, false));
        }

        @Override
        public NDArray labels(NDManager manager, int batch) {
            return manager.randomInteger(0, 1000, new Shape(batch), DataType.INT64);
        }

        @Override
        public BiFunction<NDList, NDArray, NDArray> loss() {
            return Losses::crossEntropy;
        }

        @Override
        public String sampleUnit() {
            return "images";
        }
    }

    /** BERT on random token ids. */
    record Sequences(BertConfig config) implements Workload {
        @Override
        public TorchModule model() {
            return new Bert(config);
        }

        @Override
        public NDList inputs(NDManager manager, int batch, int seqLength, DataType floatType) {
            Shape shape = new Shape(batch, seqLength);
            NDArray ids = manager.randomInteger(0, config.vocabSize(), shape, DataType.INT64);
            NDArray types = manager.zeros(shape, DataType.INT64);
            return new NDList(ids, types);
        }

        @Override
        public NDArray labels(NDManager manager, int batch) {
            return manager.zeros(new Shape(batch), DataType.INT64);
        }

        @Override
        public BiFunction<NDList, NDArray, NDArray> loss() {
            return Losses::sumOfOutput;
        }

        @Override
        public String sampleUnit() {
            return "sequences";
        }
    }
}
