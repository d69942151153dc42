package dev.cdcrelay.settings;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * docs/configuration.md's table of the function's variables says what {@link EnvVar} says: every
 * variable the function reads is documented, every documented one exists, with the code's default.
 */
class EnvVarDocumentationTest {

    // Tests run in settings/; the docs are at the repository root.
    static final Path README = Path.of("..", "docs", "configuration.md");
    static final String SECTION = "## Function configuration (environment variables)";

    @Test
    void theReadmeListsEveryVariableAndNoOther() throws IOException {
        assertEquals(Arrays.stream(EnvVar.values()).map(EnvVar::name).sorted().toList(),
                documentedDefaults().keySet().stream().sorted().toList());
    }

    @Test
    void theReadmeGivesEachDefaultAsTheCodeHasIt() throws IOException {
        var documented = documentedDefaults();
        for (var variable : EnvVar.values()) {
            var cell = documented.get(variable.name());
            variable.defaultValue().ifPresentOrElse(
                    value -> assertEquals("`" + value + "`", cell, variable + "'s default in docs/configuration.md"),
                    () -> assertFalse(cell == null || cell.startsWith("`"),
                            variable + " has no default in the code, but docs/configuration.md gives " + cell));
        }
    }

    /** Variable name to its "default" cell, from the rows of the section's table. */
    static Map<String, String> documentedDefaults() throws IOException {
        var rows = new LinkedHashMap<String, String>();
        var inSection = false;
        for (var line : Files.readAllLines(README)) {
            if (line.startsWith("## ")) {
                inSection = line.equals(SECTION);
            } else if (inSection && line.startsWith("| `")) {
                var cells = line.split("\\|");
                rows.put(cells[1].trim().replace("`", ""), cells[2].trim());
            }
        }
        return rows;
    }
}
