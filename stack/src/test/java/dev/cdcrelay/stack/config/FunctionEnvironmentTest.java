package dev.cdcrelay.stack.config;

import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.settings.TtlDeletes;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static dev.cdcrelay.stack.support.TestConfigs.*;
import static org.junit.jupiter.api.Assertions.*;

/** The environment as deployed is checked once more, for what only deployment knows. */
class FunctionEnvironmentTest {

    private static final SinkSettings SINK = new SinkSettings("doc.readings", TtlDeletes.DELETE, Optional.empty(), 2,
            new PasswordSettings(PasswordDelivery.SECRETSMANAGER, 7));
    private static final FailureSettings FAILURES = new FailureSettings("dead-letter/", 30, false, 14);

    private static Map<String, String> deployed(String keySchema) {
        return FunctionEnvironment.variables(JDBC_URL, USER,
                FunctionEnvironment.Password.inSecret("arn:aws:secretsmanager:eu-central-1:123456789012:secret:pw"),
                Optional.of(keySchema), "dead-letters", SINK, FAILURES);
    }

    @Test
    void anAcceptedEnvironmentIsDeployedAsBuilt() {
        var environment = deployed("device:S,timestamp:S");
        assertSame(environment, FunctionEnvironment.requireAccepted(environment));
        assertEquals("delete", environment.get(EnvVar.RELAY_TTL_DELETES.name()), "the function's default");
        assertEquals("2", environment.get(EnvVar.RELAY_SINK_CONNECTIONS.name()), "the function's default");
    }

    @Test
    void anExistingTablesKeyTheFunctionCannotReadFailsTheDeployment() {
        // DynamoDB allows ',' in attribute names; RELAY_KEY_SCHEMA cannot carry it.
        var refused = assertThrows(IllegalStateException.class,
                () -> FunctionEnvironment.requireAccepted(deployed("device,site:S")));
        assertEquals("the function would refuse its environment: [RELAY_KEY_SCHEMA: 'device' is not"
                + " name:TYPE[:SQLTYPE] (e.g. device:S or id:N:TEXT)]", refused.getMessage());
        assertFalse(refused.getMessage().contains(JDBC_URL));
    }
}
