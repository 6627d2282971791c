package io.dlstation.bench;

import io.dlstation.error.DlstationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The models {@code dlstation bench} measures. */
public enum BenchModel {
    RESNET18("resnet18"),
    RESNET34("resnet34"),
    RESNET50("resnet50"),
    RESNET101("resnet101"),
    BERT_BASE("bert-base");

    private final String label;

    BenchModel(String label) {
        this.label = label;
    }

    /** The name users type, e.g. "resnet50". */
    public String label() {
        return label;
    }

    /** Whether the model takes sequences (so sequence lengths apply). */
    public boolean isSequenceModel() {
        return this == BERT_BASE;
    }

    /** Parses a model name; an unknown one lists the known. */
    public static BenchModel parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (BenchModel m : values()) {
            if (m.label.equals(value)) {
                return m;
            }
        }
        throw DlstationException.badInput("--model " + text + ": not a known model; use one of "
                + Arrays.stream(values()).map(BenchModel::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
