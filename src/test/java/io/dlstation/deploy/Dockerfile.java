package io.dlstation.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as Docker reads it: comments dropped, continuation lines joined, instructions
 * grouped by stage, {@code ${ARG}} in FROM replaced by the ARG's default.
 */
record Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {
    private static final Pattern ARG_REFERENCE = Pattern.compile("\\$\\{?(\\w+)}?");

    /** One instruction: its keyword (upper case) and the rest of its line. */
    record Instruction(String keyword, String arguments) {}

    /** A build stage: its FROM image (ARGs resolved), its name, its instructions. */
    record Stage(String image, String name, List<Instruction> instructions) {
        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        /** The last {@code keyword}'s arguments (the one Docker uses), null when none. */
        String last(String keyword) {
            List<String> all = all(keyword);
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }
    }

    static Dockerfile parse(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            lines.add(current.toString().strip());
            current.setLength(0);
        }
        Map<String, String> args = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(java.util.Locale.ROOT);
            String rest = parts.length > 1 ? parts[1] : "";
            if (keyword.equals("FROM")) {
                String[] from = rest.split("\\s+");
                String image = resolve(from[from.length > 2 && from[0].startsWith("--") ? 1 : 0], args);
                String name = rest.matches("(?i).*\\sAS\\s+\\S+$") ? from[from.length - 1] : null;
                stages.add(new Stage(image, name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (keyword.equals("ARG")) {
                    String[] arg = rest.split("=", 2);
                    args.put(arg[0], arg.length > 1 ? arg[1] : null);
                }
            } else {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, rest));
            }
        }
        return new Dockerfile(args, stages);
    }

    private static String resolve(String image, Map<String, String> args) {
        Matcher reference = ARG_REFERENCE.matcher(image);
        StringBuilder resolved = new StringBuilder();
        while (reference.find()) {
            String value = args.get(reference.group(1));
            reference.appendReplacement(resolved, Matcher.quoteReplacement(value == null ? "" : value));
        }
        return reference.appendTail(resolved).toString();
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }
}
