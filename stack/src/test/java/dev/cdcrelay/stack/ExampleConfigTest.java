package dev.cdcrelay.stack;

import dev.cdcrelay.stack.config.ConfigKeys;
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

import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/** Keeps the example stack file and the deploy guide in step with the keys the program reads. */
class ExampleConfigTest {

    // Tests run in stack/; the files live at the repository root.
    static final Path EXAMPLE = Path.of("..", "Pulumi.dev.yaml");
    static final Path GUIDE = Path.of("..", "README.md");
    static final String NAMESPACE = StackRun.PROJECT + ":";

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
            assertTrue(guide.contains("| `" + key + "` |"), key + " is missing from the configuration table in README.md");
        }
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
