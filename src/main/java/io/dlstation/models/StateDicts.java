package io.dlstation.models;

import ai.djl.ndarray.NDArray;
import io.dlstation.error.DlstationException;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a PyTorch state dict (name to tensor) into a model's parameters, checking names and shapes
 * the way {@code load_state_dict(strict=True)} does. Nothing is written unless everything matches.
 */
public final class StateDicts {
    /** Entries PyTorch saves that hold no parameter of ours (BatchNorm's counter, HF's position ids). */
    private static final Set<String> IGNORED_SUFFIXES = Set.of("num_batches_tracked", "position_ids");

    private StateDicts() {}

    /**
     * Copies {@code state} into {@code parameters}.
     *
     * @param source names the weights in messages (a file name)
     */
    public static void load(ModelParameters parameters, Map<String, NDArray> state, String source) {
        Map<String, TorchParameter> named = parameters.named();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Map<String, NDArray> values = new LinkedHashMap<>();
        for (TorchParameter p : named.values()) {
            NDArray value = state.get(p.name());
            if (value == null) {
                missing.add(p.name());
            } else if (!value.getShape().equals(p.shape())) {
                mismatched.add(p.name() + " " + value.getShape() + " (model " + p.shape() + ")");
            } else {
                values.put(p.name(), value);
            }
        }
        for (String key : state.keySet()) {
            if (!named.containsKey(key) && IGNORED_SUFFIXES.stream().noneMatch(key::endsWith)) {
                unexpected.add(key);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            StringBuilder why = new StringBuilder("weights " + source + " do not fit the model:");
            describe(why, "missing", missing);
            describe(why, "unexpected", unexpected);
            describe(why, "wrong shape", mismatched);
            throw DlstationException.badInput(why + "; check that the file was saved from the same architecture");
        }
        parameters.setValues(values);
    }

    private static void describe(StringBuilder out, String what, List<String> names) {
        if (!names.isEmpty()) {
            out.append(' ').append(names.size()).append(' ').append(what).append(" (")
                    .append(String.join(", ", names.subList(0, Math.min(4, names.size()))))
                    .append(names.size() > 4 ? ", ..." : "").append(')');
        }
    }
}
