package io.dlstation.config;

import java.io.StringReader;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Where a field path ({@code monitor.rules[0].threshold}) is written in a YAML text, and what is written
 * there: the text's node tree (SnakeYAML's, with line and column marks) walked key by key and index by
 * index. Jackson's own location is where its parser stopped, often a line or more further on.
 */
final class YamlPositions {
    private static final int QUOTE_LIMIT = 60;

    /** A key or index of a path: a mapping key when {@code key} is not null, else a list index. */
    record Step(String key, int index) {}

    /**
     * What the path leads to.
     *
     * @param key the node of the last key (null when the last step is an index, or for the root)
     * @param value the node of its value
     */
    record Found(Node key, Node value) {
        /** The 1-based line and column of the key, else of the value: {@code " line 3, column 7"}. */
        String where(boolean atKey) {
            Node node = atKey && key != null ? key : value;
            return " line " + (node.getStartMark().getLine() + 1) + ", column " + (node.getStartMark().getColumn() + 1);
        }

        /** What is written at the value, e.g. "text 'hello'", "the number 5", "a list", "a mapping". */
        String written() {
            if (value instanceof MappingNode) {
                return "a mapping";
            }
            if (value instanceof SequenceNode) {
                return "a list";
            }
            if (value instanceof ScalarNode scalar) {
                String text = scalar.getValue();
                Tag tag = scalar.getTag();
                if (Tag.NULL.equals(tag)) {
                    return "nothing (an empty value)";
                }
                if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
                    return "the number " + quote(text);
                }
                if (Tag.BOOL.equals(tag)) {
                    return text;
                }
                return "text '" + quote(text) + "'";
            }
            return "an alias";
        }
    }

    private YamlPositions() {}

    /** The nodes at {@code path} in {@code text}; null when the text does not parse or holds no such path. */
    static Found find(String text, List<Step> path) {
        Node node;
        try {
            node = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) { // not YAML, or several documents: the caller falls back to Jackson's location
            return null;
        }
        Node key = null;
        for (Step step : path) {
            if (node == null) {
                return null;
            }
            if (step.key() != null && node instanceof MappingNode mapping) {
                NodeTuple entry = entry(mapping, step.key());
                key = entry == null ? null : entry.getKeyNode();
                node = entry == null ? null : entry.getValueNode();
            } else if (step.key() == null && node instanceof SequenceNode list && step.index() >= 0
                    && step.index() < list.getValue().size()) {
                key = null;
                node = list.getValue().get(step.index());
            } else {
                return null;
            }
        }
        return node == null ? null : new Found(key, node);
    }

    /** The last entry under {@code name} (a key written twice is refused before this is asked). */
    private static NodeTuple entry(MappingNode mapping, String name) {
        NodeTuple found = null;
        for (NodeTuple t : mapping.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(name)) {
                found = t;
            }
        }
        return found;
    }

    private static String quote(String text) {
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
    }
}
