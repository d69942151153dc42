package dev.cdcrelay.stack;

import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.stack.config.ConfigKeys;
import dev.cdcrelay.stack.config.FunctionEnvironment;
import dev.cdcrelay.stack.support.StackRun;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/** Keeps the example stack file and the deploy guide in step with the keys the program reads. */
class ExampleConfigTest {

    // Tests run in stack/; the files live at the repository root.
    static final Path EXAMPLE = Path.of("..", "Pulumi.dev.yaml");
    static final Path GUIDE = Path.of("..", "docs", "configuration.md");
    static final String NAMESPACE = StackRun.PROJECT + ":";
    static final Pattern TABLE_ROW = Pattern.compile("\\| `([a-z][A-Za-z:.]*)` \\|");
    static final Pattern ENV_VAR_NAME = Pattern.compile("`((?:CRATEDB|RELAY)_[A-Z_]+)`");
    static final Pattern PLAIN_ENV_VAR_NAME = Pattern.compile("\\b(?:CRATEDB|RELAY)_[A-Z_]*[A-Z]\\b");

    @Test
    void theExampleDeploysOnceTheSecretsAreSet() throws IOException {
        var config = new HashMap<>(exampleConfig());
        config.put("cratedbJdbcUrl", JDBC_URL);
        config.put("cratedbUser", USER);
        config.put("cratedbPassword", PASSWORD);
        var run = StackRun.run(config, SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions());
        assertEquals("dynamodb-cdc-relay-dev-function", run.output("functionName"));
    }

    @Test
    void theExampleHoldsNoSecret() throws IOException {
        var example = exampleConfig();
        for (var secret : SECRET_KEYS) {
            assertFalse(example.containsKey(secret), secret + " belongs in the file only as `secure:` value");
        }
    }

    @Test
    void everyKeyIsInTheExampleAndInTheGuide() throws IOException {
        var example = Files.readString(EXAMPLE);
        var guide = Files.readString(GUIDE);
        for (var key : configKeys()) {
            assertTrue(example.contains(NAMESPACE + key + ":") || example.contains("--secret " + key + " "),
                    key + " is missing from Pulumi.dev.yaml");
            assertTrue(guide.contains("| `" + key + "` |"), key + " is missing from the configuration table in docs/configuration.md");
        }
    }

    /** Every key the guide's table documents is one the program reads (provider keys such as aws:region aside). */
    @Test
    void everyDocumentedKeyExists() throws IOException {
        var keys = configKeys();
        for (var documented : guideRows().keySet()) {
            if (!documented.contains(":")) {
                assertTrue(keys.contains(documented), "docs/configuration.md documents " + documented
                        + ", which the program does not read (ConfigKeys)");
            }
        }
    }

    /** The stack table names the variable each key becomes, and gives the function's default for it. */
    @Test
    void theGuideSaysWhichVariableEachKeyBecomesWithTheFunctionsDefault() throws IOException {
        var rows = guideRows();
        for (var variable : EnvVar.values()) {
            var key = FunctionEnvironment.configKey(variable);
            if (key.isEmpty() || !rows.containsKey(key.get())) {
                continue;
            }
            var row = rows.get(key.get());
            if (!List.of(EnvVar.RELAY_KEY_SCHEMA, EnvVar.CRATEDB_PASSWORD_SECRET_ARN).contains(variable)) {
                assertTrue(row.contains("`" + variable + "`"), key.get() + "'s row must name " + variable + ": " + row);
            }
            variable.defaultValue().filter(value -> row.split("\\|")[2].trim().startsWith("`")).ifPresent(value ->
                    assertEquals("`" + value + "`", row.split("\\|")[2].trim(), key.get() + "'s default in docs/configuration.md"));
        }
        for (var row : rows.values()) {
            ENV_VAR_NAME.matcher(row).results().map(match -> match.group(1)).forEach(name ->
                    assertDoesNotThrow(() -> EnvVar.valueOf(name), "docs/configuration.md's stack table names " + name
                            + ", which the function does not read"));
        }
        var schema = Files.readString(Path.of("..", "Pulumi.yaml"));
        PLAIN_ENV_VAR_NAME.matcher(schema).results().map(match -> match.group()).forEach(name ->
                assertDoesNotThrow(() -> EnvVar.valueOf(name), "Pulumi.yaml names " + name
                        + ", which the function does not read"));
    }

    /** The configuration table's rows by key. */
    private static Map<String, String> guideRows() throws IOException {
        var rows = new HashMap<String, String>();
        for (var line : Files.readAllLines(GUIDE)) {
            var match = TABLE_ROW.matcher(line);
            if (match.lookingAt()) {
                rows.put(match.group(1), line);
            }
        }
        return rows;
    }

    private static Map<String, String> exampleConfig() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(EXAMPLE));
        @SuppressWarnings("unchecked")
        var config = (Map<String, Object>) file.get("config");
        var ours = new HashMap<String, String>();
        config.forEach((key, value) -> {
            if (key.startsWith(NAMESPACE)) {
                ours.put(key.substring(NAMESPACE.length()), String.valueOf(value));
            }
        });
        return ours;
    }

    private static List<String> configKeys() {
        return Arrays.stream(ConfigKeys.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
                .map(ExampleConfigTest::value)
                .toList();
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }
}
