package io.dlstation.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dlstation.models.nn.Linear;
import io.dlstation.models.nn.ParameterInit;
import io.dlstation.models.nn.TorchModule;

/**
 * Hugging Face's {@code BertForSequenceClassification}: {@code bert} (a {@link Bert}), dropout on the
 * pooled output, and a linear {@code classifier}. Outputs the logits (B, labels).
 */
final class BertClassifier extends TorchModule {
    private final Bert bert;
    private final Linear classifier;

    public BertClassifier(BertConfig config, int labels) {
        bert = module("bert", new Bert(config));
        classifier = module("classifier", new Linear(config.hiddenSize(), labels, ParameterInit.normal(0.02f),
                ParameterInit.zeros()));
    }

    public Bert bert() {
        return bert;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray pooled = bert.call(inputs, training).get(1);
        return new NDList(classifier.apply(Bert.drop(pooled, bert.config().dropout(), training), training));
    }
}
