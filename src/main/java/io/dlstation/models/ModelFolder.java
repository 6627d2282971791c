package io.dlstation.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.dlstation.config.YamlErrors;
import io.dlstation.engine.Precision;
import io.dlstation.error.DlstationException;
import io.dlstation.files.AtomicFiles;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model folder: the weights ({@code model.safetensors}, a PyTorch state dict in float32 that
 * {@code torch.load_state_dict} and DJL both read) and {@code model.yaml}, which says what the model is
 * and how to feed it: architecture, input shape and type, image normalisation, labels and output
 * post-processing. {@code dlstation train} exports one at the end of a run; {@code dlstation serve}
 * loads it as it is.
 */
public final class ModelFolder {
    /** The description file. */
    public static final String DESCRIPTION_FILE = "model.yaml";
    /** The weights file. */
    public static final String WEIGHTS_FILE = "model.safetensors";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static {
        // an empty list item is an error at its own line, not a null for the record to trip on
        YAML.configOverride(List.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
    }

    private ModelFolder() {}

    /**
     * What {@code model.yaml} holds.
     *
     * @param schema the format version (1)
     * @param format {@code dlstation}: an architecture dlstation builds plus its safetensors weights;
     *     {@code torchscript}: a TorchScript file ({@code dlstation serve} only)
     * @param architecture e.g. {@code resnet18}; only with format dlstation
     * @param file the TorchScript file in the folder (default {@code model.pt}); only with format torchscript
     * @param inputs the model's inputs, each without the batch dimension
     * @param outputs names of the model's outputs, in order (optional; default {@code output},
     *     {@code output_1}, ...)
     * @param postprocess {@code softmax} (probabilities and top-k labels) or {@code none} (raw outputs)
     * @param topK how many labels a prediction lists
     * @param labels class names in label order
     * @param precision what the weights were trained in ({@code fp32}, {@code fp16-mixed})
     * @param serving how {@code dlstation serve} batches and runs the model (optional: defaults)
     * @param source where the weights came from (run folder and step), for people
     * @param tokenizer for text models: the Hugging Face {@code tokenizer.json} in the folder that turns
     *     text into the model's {@code input_ids} (absent for image models)
     * @param maxSeqLength for text models: the most tokens a text is cut to (default 128)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Description(int schema, String format, Architecture architecture, String file, List<Input> inputs,
            List<Output> outputs, String postprocess, int topK, List<String> labels, Precision precision,
            ServingOptions serving, Map<String, Object> source, String tokenizer, Integer maxSeqLength) {

        /** The format of a folder {@code dlstation train} exports. */
        public static final String DLSTATION = "dlstation";
        /** The format of a folder that holds a TorchScript file. */
        public static final String TORCHSCRIPT = "torchscript";

        public Description {
            if (schema != 1) {
                throw DlstationException.badInput("schema must be 1: " + schema);
            }
            if (!DLSTATION.equals(format) && !TORCHSCRIPT.equals(format)) {
                throw DlstationException.badInput("format must be dlstation or torchscript: " + format);
            }
            boolean torchScript = TORCHSCRIPT.equals(format);
            if (inputs == null || inputs.isEmpty()) {
                throw DlstationException.badInput("inputs are required");
            }
            if (torchScript) {
                if (architecture != null) {
                    throw DlstationException.badInput("architecture is for format dlstation; a TorchScript file "
                            + "carries its own: " + architecture);
                }
                file = file == null ? "model.pt" : file;
                if (file.isBlank() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
                    throw DlstationException.badInput("file must name a file in the model folder: " + file);
                }
                postprocess = postprocess == null ? "none" : postprocess;
                labels = labels == null ? List.of() : labels;
                topK = topK == 0 ? 5 : topK;
            } else {
                if (architecture == null) {
                    throw DlstationException.badInput("architecture and inputs are required");
                }
                if (file != null) {
                    throw DlstationException.badInput("file is for format torchscript: " + file);
                }
                if (labels == null || labels.size() < 2) {
                    throw DlstationException.badInput("labels must name at least 2 classes");
                }
            }
            if (!"softmax".equals(postprocess) && !"none".equals(postprocess)) {
                throw DlstationException.badInput("postprocess must be softmax or none: " + postprocess);
            }
            if (topK < 1) {
                throw DlstationException.badInput("top_k must be at least 1: " + topK);
            }
            for (Input input : inputs) {
                if (input == null || input.name() == null || input.datatype() == null || input.shape() == null) {
                    throw DlstationException.badInput("each input needs a name, a datatype and a shape");
                }
            }
            if (tokenizer != null && (tokenizer.isBlank() || tokenizer.contains("/") || tokenizer.contains("\\")
                    || tokenizer.startsWith("."))) {
                throw DlstationException.badInput("tokenizer must name a file in the model folder: " + tokenizer);
            }
            if (maxSeqLength != null && (maxSeqLength < 1 || tokenizer == null)) {
                throw DlstationException.badInput("max_seq_length must be at least 1 and comes with a tokenizer: "
                        + maxSeqLength);
            }
            if (tokenizer != null && maxSeqLength == null) {
                maxSeqLength = 128;
            }
            inputs = List.copyOf(inputs);
            outputs = outputs == null ? null : List.copyOf(outputs);
            labels = List.copyOf(labels);
        }

        /** A dlstation model's description, as {@code dlstation train} exports it. */
        public Description(int schema, String format, Architecture architecture, List<Input> inputs, String postprocess,
                int topK, List<String> labels, Precision precision, Map<String, Object> source) {
            this(schema, format, architecture, null, inputs, null, postprocess, topK, labels, precision, null, source,
                    null, null);
        }

        /** The same description for a text model: with its tokenizer file and the most tokens per text. */
        public Description withTokenizer(String tokenizerFile, int maxTokens) {
            return new Description(schema, format, architecture, file, inputs, outputs, postprocess, topK, labels,
                    precision, serving, source, tokenizerFile, maxTokens);
        }

        /** Whether the model reads text through a tokenizer. */
        @JsonIgnore
        public boolean takesText() {
            return tokenizer != null;
        }

        /** Whether the folder holds a TorchScript file rather than a dlstation architecture. */
        @JsonIgnore
        public boolean isTorchScript() {
            return TORCHSCRIPT.equals(format);
        }

        /** The serving section, or its defaults when the file has none. */
        @JsonIgnore
        public ServingOptions servingOptions() {
            return serving == null ? ServingOptions.defaults() : serving;
        }
    }

    /**
     * One output of the model: its name, and optionally its type and one sample's shape (checked against
     * what the model produces when it is warmed up).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Output(String name, String datatype, List<Long> shape) {}

    /**
     * One input of the model, KServe-style.
     *
     * @param name e.g. {@code input}, {@code input_ids}
     * @param datatype KServe's type name: {@code FP32}, {@code INT64}
     * @param shape one sample's shape (e.g. 3, 64, 64)
     * @param mean for images: per-channel means subtracted after scaling pixels to [0, 1]
     * @param std for images: per-channel standard deviations divided by
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Input(String name, String datatype, List<Long> shape, float[] mean, float[] std) {}

    /** Writes a folder (both files atomically; the description last). */
    public static void write(Path folder, Description description, Map<String, NDArray> stateDict) {
        try {
            Files.createDirectories(folder);
            NDList tensors = new NDList(stateDict.size());
            stateDict.forEach((name, array) -> {
                array.setName(name);
                tensors.add(array);
            });
            AtomicFiles.write(folder.resolve(WEIGHTS_FILE), out -> tensors.encode(out, NDList.Encoding.SAFETENSORS));
            AtomicFiles.write(folder.resolve(DESCRIPTION_FILE), out -> YAML.writeValue(out, description));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code model.yaml}; a missing or bad file is a bad-input error naming it. */
    public static Description read(Path folder) {
        Path file = folder.resolve(DESCRIPTION_FILE);
        if (!Files.isRegularFile(file)) {
            throw DlstationException.badInput(folder + " is not a model folder: it has no " + DESCRIPTION_FILE
                    + " (export one with 'dlstation train ... --out DIR', which writes DIR/model)");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw DlstationException.badInput(file + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw DlstationException.badInput(file + " cannot be read (" + e.getMessage() + ")");
        }
        try {
            Description description = YAML.readValue(text, Description.class);
            if (description == null) {
                throw DlstationException.badInput(file + " is empty; it needs at least schema, format and inputs");
            }
            return description;
        } catch (JsonProcessingException e) {
            throw YamlErrors.of(file.toString(), text, YAML, Description.class, e);
        }
    }

    /**
     * Builds the described model and loads its weights, strictly (every name and shape must match).
     *
     * @param precision fp32, or fp16 for inference
     */
    public static Loaded load(Path folder, NDManager manager, Precision precision, boolean channelsLast) {
        Description description = read(folder);
        if (description.isTorchScript()) {
            throw DlstationException.badInput(folder + " holds a TorchScript model (format torchscript); "
                    + "'dlstation serve' runs it, nothing builds it");
        }
        TorchModule model = description.architecture().build(description.labels().size(), channelsLast);
        ModelParameters parameters = ModelParameters.allocate(model, manager, precision);
        try (NDManager scratch = manager.newSubManager()) {
            StateDicts.load(parameters, Safetensors.read(folder.resolve(WEIGHTS_FILE), scratch),
                    folder.resolve(WEIGHTS_FILE).toString());
        }
        return new Loaded(description, model, parameters);
    }

    /** A loaded model folder. */
    public record Loaded(Description description, TorchModule model, ModelParameters parameters) {}
}
