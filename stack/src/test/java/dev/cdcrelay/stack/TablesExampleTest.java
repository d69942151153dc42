package dev.cdcrelay.stack;

import com.google.gson.Gson;
import dev.cdcrelay.stack.config.MapConfigSource;
import dev.cdcrelay.stack.config.RelayStackConfig;
import dev.cdcrelay.stack.config.TableRelaySettings;
import dev.cdcrelay.stack.support.StackRun;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/** docs/deploy.md's three-table Pulumi.&lt;stack&gt;.yaml is a configuration the program accepts as described. */
class TablesExampleTest {

    static final Path GUIDE = Path.of("..", "docs", "deploy.md");
    static final String SECTION = "## Several tables in one stack";

    @Test
    void theReadmesThreeTableExampleIsValid() throws IOException {
        var config = new HashMap<>(CREDENTIALS_ONLY);
        exampleConfig().forEach((key, value) -> {
            if (key.startsWith(StackRun.PROJECT + ":")) {
                var shortKey = key.substring(StackRun.PROJECT.length() + 1);
                // As the CLI passes structured config: the list as JSON text.
                config.put(shortKey, value instanceof String text ? text : new Gson().toJson(value));
            } else if (key.equals(MapConfigSource.AWS_REGION)) {
                config.put(key, String.valueOf(value));
            }
        });
        var settings = RelayStackConfig.from(MapConfigSource.of(config, SECRET_KEYS), StackRun.PROJECT,
                StackRun.STACK);
        assertEquals(List.of(Optional.of("orders"), Optional.of("readings"), Optional.of("customers")),
                settings.tables().stream().map(TableRelaySettings::name).toList());
        assertEquals(List.of(500, 200, 200), settings.tables().stream().map(t -> t.mapping().batchSize()).toList());
        assertEquals(List.of("doc.orders", "doc.readings", "crm.customers"),
                settings.tables().stream().map(t -> t.sink().cratedbTable()).toList());
    }

    private static Map<String, Object> exampleConfig() throws IOException {
        var guide = Files.readString(GUIDE);
        var section = guide.substring(guide.indexOf(SECTION));
        var start = section.indexOf("```yaml\n") + "```yaml\n".length();
        var yaml = section.substring(start, section.indexOf("```", start));
        Map<String, Object> file = new Yaml().load(yaml);
        @SuppressWarnings("unchecked")
        var config = (Map<String, Object>) file.get("config");
        return config;
    }
}
