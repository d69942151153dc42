package dev.cdcrelay.stack;

import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.settings.InvalidSettingsException;
import dev.cdcrelay.settings.RelaySettings;
import dev.cdcrelay.settings.SettingProblem;
import dev.cdcrelay.stack.support.FakeAws;
import dev.cdcrelay.stack.support.StackRun;
import dev.cdcrelay.write.TableName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The contract between the stack and the function: the environment the program builds is one the
 * function's reader accepts (StackRun checks this on every mocks run; here it is shown for the
 * configurations that reach each branch), and a value the function would refuse fails the program
 * before anything is declared, with the function's own reason under the config key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionContractTest {

    /** The environment the program gives the function with {@link #NEW_TABLE}'s config. */
    Map<String, String> deployedEnvironment;

    @BeforeAll
    void deployTheDefaultConfiguration() {
        deployedEnvironment = accepted(NEW_TABLE);
    }

    static Stream<Arguments> configurations() {
        return Stream.of(
                arguments("a new table, password in Secrets Manager", NEW_TABLE),
                arguments("the password in the environment", with(NEW_TABLE, "passwordDelivery", "environment")),
                arguments("an existing table, TTL deletes kept, own prefix", with(NEW_TABLE, "tableHashKey", null,
                        "tableRangeKey", null, "existingTableName", FakeAws.EXISTING_TABLE, "ttlDeletes", "keep",
                        "deadLetterPrefix", "poison/")),
                arguments("a numeric hash key and declared types", with(NEW_TABLE, "tableRangeKey", null,
                        "tableHashKeyType", "N", "attributeTypes", "count:BIGINT,serial:TEXT,ok:BOOLEAN")),
                arguments("a quoted, schema-qualified table", with(NEW_TABLE, "cratedbTable", "\"Doc-2\".\"Readings\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void theFunctionAcceptsTheEnvironmentTheStackBuilds(String description, Map<String, String> config) {
        var environment = accepted(config);
        var settings = RelaySettings.read(environment);
        assertEquals(TableName.parse(config.get("cratedbTable")), settings.table());
        assertEquals(environment.getOrDefault(EnvVar.RELAY_DEAD_LETTER_PREFIX.name(), "missing"),
                settings.deadLetters().prefix(), "the prefix the role grants is the one the function writes to");
    }

    /** One row per rule: config key, the value, and the function variable it becomes. */
    static Stream<Arguments> rules() {
        return Stream.of(
                rule("attributeTypes", "count:INTEGER", EnvVar.RELAY_ATTRIBUTE_TYPES),
                rule("attributeTypes", "count", EnvVar.RELAY_ATTRIBUTE_TYPES),
                rule("attributeTypes", "device:TEXT", EnvVar.RELAY_ATTRIBUTE_TYPES),
                rule("cratedbTable", "we\"ird table", EnvVar.CRATEDB_TABLE),
                rule("cratedbTable", "\"my.schema\".\"t\"", EnvVar.CRATEDB_TABLE),
                rule("cratedbTable", "information_schema.readings", EnvVar.CRATEDB_TABLE),
                rule("cratedbTable", "a.b.c", EnvVar.CRATEDB_TABLE),
                rule("cratedbTable", "r".repeat(60), EnvVar.CRATEDB_TABLE),
                rule("cratedbJdbcUrl", "https://crate.example.com:4200", EnvVar.CRATEDB_JDBC_URL),
                rule("cratedbJdbcUrl", "jdbc:postgresql://crate.example.com/doc?password=hunter2", EnvVar.CRATEDB_JDBC_URL),
                rule("cratedbJdbcUrl", "jdbc:postgresql://relay:hunter2@crate.example.com/doc", EnvVar.CRATEDB_JDBC_URL),
                rule("cratedbJdbcUrl", "jdbc:crate://", EnvVar.CRATEDB_JDBC_URL),
                rule("cratedbJdbcUrl", "jdbc:postgresql://crate.example.com:54x2/doc", EnvVar.CRATEDB_JDBC_URL),
                rule("ttlDeletes", "archive", EnvVar.RELAY_TTL_DELETES),
                rule("sinkConnections", "0", EnvVar.RELAY_SINK_CONNECTIONS),
                rule("deadLetterPrefix", "/dead-letter/", EnvVar.RELAY_DEAD_LETTER_PREFIX),
                rule("deadLetterPrefix", "dead-letter/ ", EnvVar.RELAY_DEAD_LETTER_PREFIX),
                rule("deadLetterPrefix", "dead-*/", EnvVar.RELAY_DEAD_LETTER_PREFIX),
                rule("tableHashKey", "device,id", EnvVar.RELAY_KEY_SCHEMA));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("rules")
    void previewAndFunctionRefuseTheSameValueForTheSameReason(String key, String value, EnvVar variable) {
        var function = functionProblem(variable, value);
        var run = StackRun.runExpectingFailure(with(NEW_TABLE, key, value), SECRET_KEYS);
        assertEquals(List.of(), run.registrations(), "nothing may be declared");
        var preview = run.failureMessages();
        assertTrue(preview.lines().anyMatch(line -> line.equals("  - " + key + ": " + function.reason())),
                "expected the function's reason '" + function.reason() + "' under " + key + " in:\n" + preview);
        assertFalse(preview.contains("hunter2"), "a secret value is never echoed: " + preview);
    }

    /** What the function says about the deployed environment with one variable changed. */
    private SettingProblem functionProblem(EnvVar variable, String value) {
        var environment = new HashMap<>(deployedEnvironment);
        environment.put(variable.name(), variable == EnvVar.RELAY_KEY_SCHEMA ? value + ":S,timestamp:S" : value);
        var refused = assertThrows(InvalidSettingsException.class, () -> RelaySettings.read(environment));
        assertEquals(1, refused.problems().size(), refused.getMessage());
        var problem = refused.problems().get(0);
        assertEquals(variable, problem.variable());
        return problem;
    }

    private static Arguments rule(String key, String value, EnvVar variable) {
        return arguments(key, value, variable);
    }

    private static Map<String, String> accepted(Map<String, String> config) {
        var run = StackRun.run(config, SECRET_KEYS);
        assertEquals(List.of(), run.result().exceptions(), "the program failed");
        var environments = run.functionEnvironments();
        assertEquals(2, environments.size(), "the relay function and the backfill function");
        environments.forEach(environment -> assertEquals(List.of(), RelaySettings.problemsWith(environment)));
        // The relay's is the one without the backfill's source table; the backfill's is it plus four variables.
        var relay = environments.stream()
                .filter(environment -> !environment.containsKey(EnvVar.RELAY_SOURCE_TABLE_ARN.name()))
                .findFirst().orElseThrow();
        var backfill = new HashMap<>(environments.get(environments.get(0) == relay ? 1 : 0));
        for (var variable : List.of(EnvVar.RELAY_SOURCE_TABLE_ARN, EnvVar.RELAY_SOURCE_STREAM_ARN,
                EnvVar.RELAY_BACKFILL_BUCKET, EnvVar.RELAY_BACKFILL_PREFIX)) {
            assertNotNull(backfill.remove(variable.name()), variable + " is missing from the backfill function");
        }
        assertEquals(relay, backfill, "the backfill function writes the same sink with the same settings");
        return relay;
    }
}
