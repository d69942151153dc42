package dev.cdcrelay.stack;

import dev.cdcrelay.stack.config.ConfigKeys;
import dev.cdcrelay.stack.config.InvalidConfigException;
import dev.cdcrelay.stack.config.MapConfigSource;
import dev.cdcrelay.stack.config.RelayStackConfig;
import dev.cdcrelay.stack.support.StackRun;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Keeps the {@code config:} block of Pulumi.yaml true to the program. The Pulumi CLI (workspace
 * package of pulumi/pulumi, {@code mergeConfig} and {@code ValidateConfigValue}) treats a declared key
 * without default as required in every stack, writes a declared default into the stack's config
 * when the key is unset, accepts "integer" values that parse as whole numbers and "boolean" values
 * spelled true or false, and demands `secure:` values for keys declared secret. Each test checks one
 * of these against {@link RelayStackConfig}.
 */
class ProjectConfigSchemaTest {

    static final Path PROJECT = Path.of("..", "Pulumi.yaml");
    static final Path EXAMPLE = Path.of("..", "Pulumi.dev.yaml");
    static final Set<String> PULUMI_TYPES = Set.of("string", "integer", "boolean");

    /** One declared key as the CLI reads it. */
    record Declared(String type, Optional<String> defaultValue, boolean secret, String description) {
    }

    /** The configuration shapes a stack can take; declared defaults must be harmless in each. */
    static final List<Map<String, String>> SHAPES = List.of(
            NEW_TABLE,
            EXISTING_TABLE_AND_STREAM,
            with(NEW_TABLE, "imageUri", PREBUILT_IMAGE),
            with(NEW_TABLE, "passwordDelivery", "environment"),
            with(NEW_TABLE, "tableBillingMode", "PROVISIONED", "tableReadCapacity", "5", "tableWriteCapacity", "5",
                    "streamMode", "PROVISIONED", "streamShardCount", "2", "startingPosition", "AT_TIMESTAMP",
                    "startingPositionTimestamp", "2024-07-12T01:17:42Z", "alarmEmail", "oncall@example.com"),
            with(NEW_TABLE, "vpcSubnetIds", "subnet-0a1b2c3d", "vpcSecurityGroupIds", "sg-0a1b2c3d"),
            withTables(CREDENTIALS_ONLY,
                    entry("name", "orders", "tableHashKey", "orderId", "cratedbTable", "doc.orders"),
                    entry("name", "readings", "existingTableName", "sensor-readings", "cratedbTable", "doc.readings",
                            "batchSize", "500")));

    @Test
    void everyDeclaredKeyIsOneTheProgramReadsWithATypeAndADescription() throws IOException {
        var declared = declared();
        assertFalse(declared.isEmpty());
        for (var entry : declared.entrySet()) {
            assertTrue(programKeys().contains(entry.getKey()), entry.getKey() + " is not a key the program reads");
            assertTrue(PULUMI_TYPES.contains(entry.getValue().type()),
                    entry.getKey() + " needs a type Pulumi checks: " + PULUMI_TYPES);
            assertFalse(entry.getValue().description().isBlank(), entry.getKey() + " needs a description");
        }
    }

    @Test
    void theCredentialsAndOnlyThemAreSecretAndHaveNoDefault() throws IOException {
        var secret = declared().entrySet().stream().filter(entry -> entry.getValue().secret())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(SECRET_KEYS, secret, "CrateDbCredentials reads exactly these as secrets");
        for (var key : SECRET_KEYS) {
            assertEquals(Optional.empty(), declared().get(key).defaultValue(), key + ": a default would be plain text");
        }
    }

    @Test
    void keysWithoutDefaultAreExactlyTheOnesEveryStackMustSet() throws IOException {
        var withoutDefault = declared().entrySet().stream().filter(entry -> entry.getValue().defaultValue().isEmpty())
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        var requiredEverywhere = programKeys().stream()
                .filter(key -> SHAPES.stream().allMatch(shape -> problemsWithout(shape, key).stream()
                        .anyMatch(problem -> problem.startsWith(key + ": is required"))))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(requiredEverywhere, withoutDefault);
    }

    @Test
    void declaredDefaultsChangeNothingInAnyShapeOfStack() throws IOException {
        var defaults = new LinkedHashMap<String, String>();
        declared().forEach((key, declaration) -> declaration.defaultValue().ifPresent(value -> defaults.put(key, value)));
        assertFalse(defaults.isEmpty());
        for (var shape : SHAPES) {
            var asTheCliPassesIt = new HashMap<>(shape);
            defaults.forEach(asTheCliPassesIt::putIfAbsent);
            assertEquals(parse(shape), parse(asTheCliPassesIt),
                    "a declared default differs from the program's, or is refused, in " + shape.keySet());
        }
    }

    @Test
    void declaredTypesAreHowTheProgramReadsTheKeys() throws IOException {
        declared().forEach((key, declaration) -> {
            switch (declaration.type()) {
                case "integer" -> assertTrue(problemsWith(key, "a-few").stream()
                        .anyMatch(problem -> problem.startsWith(key + ": must be a whole number")), key);
                case "boolean" -> assertTrue(problemsWith(key, "maybe").contains(
                        key + ": must be true or false, got 'maybe'"), key);
                default -> assertEquals("string", declaration.type());
            }
        });
    }

    @Test
    void theExampleStackPassesPulumisTypeCheck() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(EXAMPLE));
        @SuppressWarnings("unchecked")
        var config = (Map<String, Object>) file.get("config");
        declared().forEach((key, declaration) -> {
            var value = config.get(StackRun.PROJECT + ":" + key);
            if (value == null) {
                return;
            }
            var text = String.valueOf(value);
            switch (declaration.type()) {
                case "integer" -> assertTrue(text.matches("-?\\d+"), key + " must be a whole number, is '" + text + "'");
                case "boolean" -> assertTrue(text.equals("true") || text.equals("false"),
                        key + " must be spelled true or false, is '" + text + "'");
                default -> assertInstanceOf(String.class, value, key);
            }
        });
    }

    private static RelayStackConfig parse(Map<String, String> config) {
        return RelayStackConfig.from(MapConfigSource.of(config, SECRET_KEYS), StackRun.PROJECT, StackRun.STACK);
    }

    private static List<String> problemsWithout(Map<String, String> shape, String key) {
        return problems(with(shape, key, null));
    }

    private static List<String> problemsWith(String key, String value) {
        return problems(with(NEW_TABLE, key, value));
    }

    private static List<String> problems(Map<String, String> config) {
        try {
            parse(config);
            return List.of();
        } catch (InvalidConfigException invalid) {
            return invalid.problems();
        }
    }

    private static Map<String, Declared> declared() throws IOException {
        Map<String, Object> project = new Yaml().load(Files.readString(PROJECT));
        @SuppressWarnings("unchecked")
        var config = (Map<String, Map<String, Object>>) project.get("config");
        var declared = new LinkedHashMap<String, Declared>();
        config.forEach((key, declaration) -> declared.put(key, new Declared(
                String.valueOf(declaration.get("type")),
                Optional.ofNullable(declaration.get("default")).map(String::valueOf),
                Boolean.TRUE.equals(declaration.get("secret")),
                String.valueOf(declaration.getOrDefault("description", "")))));
        return declared;
    }

    private static Set<String> programKeys() {
        return Arrays.stream(ConfigKeys.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
                .map(field -> {
                    try {
                        return (String) field.get(null);
                    } catch (IllegalAccessException unreadable) {
                        throw new IllegalStateException(unreadable);
                    }
                })
                .collect(Collectors.toSet());
    }
}
