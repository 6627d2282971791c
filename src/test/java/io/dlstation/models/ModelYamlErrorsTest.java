package io.dlstation.models;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A model.yaml that cannot be read is refused in the YAML's terms, as dlstation.yaml is: never a Java type. */
class ModelYamlErrorsTest {
    private static final String HEAD = "schema: 1\nformat: torchscript\n";
    private static final String INPUT = "inputs:\n  - name: x\n    datatype: FP32\n    shape: [1]\n";

    @TempDir
    Path folder;

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "inputs: hello | line 3, column 9 | field 'inputs' must be a list of inputs, each a mapping with fields name, datatype, shape, mean, std; found text 'hello'",
        "inputs:\\n  - name: x\\n    datatype: FP32\\n    shape: [one] | line 6, column 13 | field 'inputs[0].shape[0]' must be a whole number; found text 'one'",
        "serving:\\n  max_batch_size: lots | line 8, column 19 | field 'serving.max_batch_size' must be a whole number; found text 'lots'",
        "serving:\\n  max_batch_size: 0 | line 8, column 3 | field 'serving': max_batch_size must be 1 to 65536: 0",
        "colour: red | line 7, column 1 | unknown field 'colour'; known fields here: architecture, file",
    })
    void theMessageSpeaksOfTheYaml(String yaml, String line, String message) throws IOException {
        String body = yaml.replace("\\n", "\n") + "\n";
        Path file = Files.writeString(folder.resolve(ModelFolder.DESCRIPTION_FILE),
                HEAD + (body.startsWith("inputs:") ? body : INPUT + body));
        assertThatThrownBy(() -> ModelFolder.read(folder))
                .isInstanceOf(DlstationException.class)
                .hasMessageStartingWith(file + " " + line + ": ")
                .hasMessageContaining(message)
                .hasMessageNotContainingAny("java.", "Exception", "`", "Description", "ArrayList", "\n");
    }
}
