package io.dlstation.serve;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.models.ModelFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where models come from: every sub-folder of the repository folder that holds a {@code model.yaml}
 * (named by the folder), plus models named on the command line ({@code NAME=PATH}). The folder is read
 * again on each look-up, so a model copied in after start can be loaded through the repository API.
 */
public final class ModelRepository {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Path root;
    private final Map<String, Path> named;

    /**
     * @param root the repository folder, or null for none
     * @param named models given by name, which win over folders of the same name
     */
    public ModelRepository(Path root, Map<String, Path> named) {
        if (root != null && !Files.isDirectory(root)) {
            throw DlstationException.badInput("--model-repository " + root + " is not a folder");
        }
        this.root = root;
        named.forEach((name, path) -> {
            checkName(name, "--model " + name + "=" + path);
            if (!Files.isDirectory(path)) {
                throw DlstationException.badInput("--model " + name + "=" + path + ": not a folder; a model folder holds "
                        + "model.yaml and the model file");
            }
        });
        this.named = Collections.unmodifiableMap(new LinkedHashMap<>(named));
    }

    /** Parses {@code NAME=PATH} as {@code --model} takes it. */
    public static Map.Entry<String, Path> parseNamed(String text) {
        int eq = text.indexOf('=');
        if (eq < 1 || eq == text.length() - 1) {
            throw DlstationException.badInput("--model " + text + ": write NAME=PATH, e.g. resnet=/models/resnet50");
        }
        return Map.entry(text.substring(0, eq).strip(), Path.of(text.substring(eq + 1).strip()));
    }

    /** Every model the repository holds now, by name, in name order. */
    public Map<String, Path> models() {
        Map<String, Path> all = new TreeMap<>();
        if (root != null) {
            try (Stream<Path> children = Files.list(root)) {
                children.filter(p -> Files.isRegularFile(p.resolve(ModelFolder.DESCRIPTION_FILE)))
                        .filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                        .forEach(p -> all.put(p.getFileName().toString(), p));
            } catch (IOException e) {
                throw DlstationException.badInput("--model-repository " + root + " cannot be listed: " + e.getMessage());
            }
        }
        all.putAll(named);
        return all;
    }

    /** The folder of model {@code name}; NOT_FOUND when the repository has no such model. */
    public Path locate(String name) {
        Path folder = models().get(name);
        if (folder == null) {
            throw new DlstationException(ErrorCode.NOT_FOUND, "model '" + name + "' is not in the repository"
                    + (root == null ? "" : " " + root) + "; it holds " + String.join(", ", models().keySet()));
        }
        return folder;
    }

    /** Refuses a name that cannot be a URL path segment. */
    static void checkName(String name, String field) {
        if (!NAME.matcher(name).matches()) {
            throw DlstationException.badInput(field + ": a model name is letters, digits, '.', '_' and '-' "
                    + "(starting with a letter or digit)");
        }
    }
}
