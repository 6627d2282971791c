package io.dlstation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/DEVELOPING.md's package map is the table {@link PackageDependenciesTest} checks the code against. */
class PackageMapDocTest {
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([\\w.]+)` \\| (.+) \\|$");
    private static final Pattern NAME = Pattern.compile("`([\\w.]+)`");

    @Test
    void theDocumentedTableIsTheCheckedOne() throws IOException {
        String doc = Files.readString(Path.of("docs/DEVELOPING.md"));
        int start = doc.indexOf("## Package map");
        assertThat(start).as("docs/DEVELOPING.md has a Package map section").isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(doc.substring(start, end < 0 ? doc.length() : end));
        while (row.find()) {
            Set<String> allowed = new TreeSet<>();
            if (row.group(2).startsWith(PackageDependenciesTest.EVERY_PACKAGE)) {
                allowed.add(PackageDependenciesTest.EVERY_PACKAGE);
            } else {
                Matcher name = NAME.matcher(row.group(2));
                while (name.find()) {
                    allowed.add(name.group(1));
                }
            }
            assertThat(documented.put(row.group(1), allowed)).as("row %s appears once", row.group(1)).isNull();
        }
        assertThat(documented.keySet()).as("the packages with a row")
                .containsExactlyInAnyOrderElementsOf(PackageDependenciesTest.MAY_IMPORT.keySet());
        PackageDependenciesTest.MAY_IMPORT.forEach((pkg, allowed) ->
                assertThat(documented.get(pkg)).as("what %s may import", pkg).isEqualTo(allowed));
    }
}
