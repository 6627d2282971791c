package io.dlstation.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dlstation.error.DlstationException;
import io.dlstation.models.nn.TorchModule;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The architectures dlstation trains, exports and serves, by the names users type; builds a fresh
 * model of each.
 */
public enum Architecture {
    SMALL_CNN("small-cnn", false, 32),
    RESNET18("resnet18", false, 64),
    RESNET50("resnet50", false, 224),
    BERT_BASE("bert-base", true, 128),
    BERT_MINI("bert-mini", true, 128),
    BERT_TINY("bert-tiny", true, 128);

    private final String label;
    private final boolean sequences;
    private final int defaultInputSize;

    Architecture(String label, boolean sequences, int defaultInputSize) {
        this.label = label;
        this.sequences = sequences;
        this.defaultInputSize = defaultInputSize;
    }

    /** The name users type, e.g. "resnet18". */
    @JsonValue
    public String label() {
        return label;
    }

    /** Whether the model reads token sequences rather than images. */
    public boolean takesSequences() {
        return sequences;
    }

    /** The image side (or sequence length) used when none is given. */
    public int defaultInputSize() {
        return defaultInputSize;
    }

    /** A fresh model (parameters not yet allocated) for {@code classes} classes. */
    public TorchModule build(int classes, boolean channelsLast) {
        return switch (this) {
            case SMALL_CNN -> new SmallCnn(classes, channelsLast);
            case RESNET18 -> new ResNet(ResNet.Depth.RESNET18, classes, 64, false, channelsLast);
            case RESNET50 -> new ResNet(ResNet.Depth.RESNET50, classes, 64, false, channelsLast);
            case BERT_BASE, BERT_MINI, BERT_TINY -> new BertClassifier(bertConfig(), classes);
        };
    }

    /** The published BERT shape of a sequence model; an image model has none. */
    public BertConfig bertConfig() {
        return switch (this) {
            case BERT_BASE -> BertConfig.base();
            case BERT_MINI -> BertConfig.mini();
            case BERT_TINY -> BertConfig.tiny();
            default -> throw new IllegalStateException(label + " is not a BERT model");
        };
    }

    /** Parses a model name; an unknown one lists the known. */
    @JsonCreator
    public static Architecture parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (Architecture m : values()) {
            if (m.label.equals(value)) {
                return m;
            }
        }
        throw DlstationException.badInput("--model " + text + ": not a model dlstation trains; use one of "
                + Arrays.stream(values()).map(Architecture::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
