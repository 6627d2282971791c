package io.dlstation.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/CONFIG.md's example configuration stays what the code reads: every key known, every field shown. */
class ConfigDocsTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path tmp;

    private static String example() throws IOException {
        Matcher m = YAML_BLOCK.matcher(Files.readString(Path.of("docs/CONFIG.md")));
        assertThat(m.find()).as("docs/CONFIG.md has a yaml example").isTrue();
        return m.group(1);
    }

    @Test
    void theDocumentedExampleReadsWithoutError() throws IOException {
        Path file = Files.writeString(tmp.resolve("dlstation.yaml"), example());
        DlstationConfig config = ConfigLoader.read(file); // unknown keys would be errors
        assertThat(config.serve().port()).isEqualTo(8080);
        assertThat(config.monitor().rules()).isNotEmpty();
        assertThat(config.maintenance()).isNotNull();
    }

    @Test
    void everySectionAndTheEngineAndServeFieldsAreDocumented() throws IOException {
        String example = "\n" + example();
        for (RecordComponent section : DlstationConfig.class.getRecordComponents()) {
            assertThat(example).as("section %s", section.getName()).contains("\n" + snake(section.getName()) + ":");
        }
        for (Class<?> record : new Class<?>[] {EngineConfig.class, ServeConfig.class}) {
            for (RecordComponent field : record.getRecordComponents()) {
                assertThat(example).as("%s.%s", record.getSimpleName(), field.getName())
                        .contains("  " + snake(field.getName()) + ":");
            }
        }
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
